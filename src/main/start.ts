// `npm start`: everything in one process tree (embedded PostgreSQL and Temporal unless external
// addresses are configured), the worker and the HTTP API with MCP.
import { loadConfig } from '../config';
import { createLogger, startService } from './service';
import { runUntilSignal } from './run-until-signal';
import { exitOnStartupError } from './startup-error';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const started = Date.now();
  const service = await startService(config, { worker: true, api: true, embedded: true }, logger);
  logger.info(`ready in ${Date.now() - started} ms (${config.meta.mode} mode)`);
  runUntilSignal(service.stop, logger);
}

main().catch(exitOnStartupError);
