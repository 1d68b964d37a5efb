/**
 * CLI entry of the Meta Graph API simulator:
 *   npm run simulator -- --profile small|medium|large|<json> --seed 42 --port 4100 --token t1 --token t2 --latency-ms 0 --webhook-url <url>
 * Logs one line with the URL and how many tokens are accepted (never the tokens).
 */
import { startSimulator, type SimulatorOptions } from '../simulator/simulator-server';
import type { BuiltInProfileName, ProfileSpec } from '../simulator/profiles';

function parseArgs(argv: string[]): SimulatorOptions {
  const options: SimulatorOptions = { tokens: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--profile': {
        const v = value();
        options.profile = v.trim().startsWith('{') ? (JSON.parse(v) as ProfileSpec) : (v as BuiltInProfileName);
        break;
      }
      case '--seed':
        options.seed = integer(flag, value());
        break;
      case '--port':
        options.port = integer(flag, value());
        break;
      case '--host':
        options.host = value();
        break;
      case '--token':
        options.tokens?.push(value());
        break;
      case '--latency-ms':
        options.latencyMs = integer(flag, value());
        break;
      case '--now':
        options.now = value();
        break;
      case '--webhook-url':
        // New leads (`POST /__sim/leads`) are notified here, signed with the demo app's secret.
        options.webhooks = { ...options.webhooks, url: value() };
        break;
      case '--help':
        console.log('usage: simulator [--profile small|medium|large|<json>] [--seed n] [--port 4100] [--host 127.0.0.1] [--token t]... [--latency-ms n] [--now ISO] [--webhook-url http://127.0.0.1:3000/webhooks/meta]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (!options.tokens?.length) delete options.tokens;
  return options;
}

function integer(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({ port: 4100, ...options });
  console.log(`meta-graph-simulator listening on ${sim.url} (profile ${sim.state.profile.name}, seed ${sim.state.seed}, ${sim.state.tokens.size} token(s))`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`simulator: error while closing on ${signal}`, err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`simulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
