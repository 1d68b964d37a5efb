import { createApiClient } from './api-client';
import { ApiError, CliFailure, UsageError } from './cli-errors';
import { resolveConnection } from './cli-connection';
import type { Command } from './commands/command';
import { accountsCommand } from './commands/accounts';
import { changesCommand } from './commands/changes';
import { companiesCommand } from './commands/companies';
import { rulesCommand } from './commands/rules';
import { syncCommand } from './commands/sync';
import { tokensCommand } from './commands/tokens';
import { workflowsCommand } from './commands/workflows';
import type { Output } from './output';

export const COMMANDS: readonly Command[] = [companiesCommand, tokensCommand, accountsCommand, syncCommand, workflowsCommand, changesCommand, rulesCommand];

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** Exit codes: 0 done, 1 the service or the job said no (its message printed), 2 the command line is wrong. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/**
 * Runs one command line and answers its exit code. Global flags may sit anywhere: `--json`
 * (the API's JSON on stdout, for scripts), `--url <url>`, `--help`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { json, url, help, rest } = takeGlobalFlags(argv);
  const out: Output = { json, write: (text) => void io.stdout.write(text), note: (text) => void io.stderr.write(text), interactive: io.stderr.isTTY === true };
  const [name, ...args] = rest;
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (help || name === undefined || name === 'help') {
    const about = command ?? COMMANDS.find((candidate) => candidate.name === args[0]);
    io.stdout.write(about ? commandUsage(about) : usage());
    return name === undefined && !help ? ExitCode.Usage : ExitCode.Ok;
  }
  if (!command) {
    io.stderr.write(`error: unknown command "${name}"\n${usage()}`);
    return ExitCode.Usage;
  }
  try {
    if (url.error) throw new UsageError(url.error);
    const api = createApiClient(resolveConnection(io.env, { url: url.value }));
    return await command.run({ api, out, args, sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))) });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n${commandUsage(command)}`);
      return ExitCode.Usage;
    }
    if (error instanceof ApiError) {
      io.stderr.write(`error: ${error.message} (${error.code}, HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})\n`);
      if (json) io.stdout.write(`${JSON.stringify({ error: { status: error.status, code: error.code, message: error.message, requestId: error.requestId ?? null } })}\n`);
      return ExitCode.Failed;
    }
    if (error instanceof CliFailure) {
      io.stderr.write(`error: ${error.message}\n`);
      return ExitCode.Failed;
    }
    // Anything else is a bug of the CLI's: its message, without a stack (no secret is in scope here but the token, which no message carries).
    io.stderr.write(`error: ${(error as Error).message ?? String(error)}\n`);
    return ExitCode.Failed;
  }
}

function takeGlobalFlags(argv: readonly string[]): { json: boolean; help: boolean; url: { value?: string; error?: string }; rest: string[] } {
  const rest: string[] = [];
  let json = false;
  let help = false;
  const url: { value?: string; error?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--url') {
      url.value = argv[++i];
      if (url.value === undefined) url.error = '--url needs a value';
    } else if (arg.startsWith('--url=')) url.value = arg.slice('--url='.length);
    else rest.push(arg);
  }
  return { json, help, url, rest };
}

/** A command's forms, one per line (indented lines explain the line above). */
function commandUsage(command: Command): string {
  return `${command.usage
    .split('\n')
    .map((line, i) => (/^\s/.test(line) ? `       ${line}` : `${i === 0 ? 'usage:' : '      '} meta-orchestrator ${line}`))
    .join('\n')}\n`;
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'usage: meta-orchestrator <command> [options] [--json] [--url <url>]',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'The service: --url, else META_ORCHESTRATOR_URL, else the config file, else http://127.0.0.1:3000.',
    'The token: META_ORCHESTRATOR_TOKEN, else the config file ~/.config/meta-orchestrator/config.json',
    '({"url": "...", "token": "mao_..."}, mode 0600; META_ORCHESTRATOR_CONFIG names another).',
    '`meta-orchestrator help <command>` shows its forms.',
    '',
  ].join('\n');
}
