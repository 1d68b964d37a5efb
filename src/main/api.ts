// `npm run api`: the HTTP API (and MCP over HTTP) for an existing PostgreSQL and Temporal.
import { loadConfig } from '../config';
import { createLogger, startService } from './service';
import { runUntilSignal } from './run-until-signal';
import { exitOnStartupError } from './startup-error';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const service = await startService(config, { worker: false, api: true, embedded: false }, logger);
  runUntilSignal(service.stop, logger);
}

main().catch(exitOnStartupError);
