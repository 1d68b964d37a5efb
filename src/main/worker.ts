// `npm run worker`: a worker process for an existing PostgreSQL and Temporal (scale out by running more).
import { loadConfig } from '../config';
import { createLogger, startService } from './service';
import { runUntilSignal } from './run-until-signal';
import { exitOnStartupError } from './startup-error';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const service = await startService(config, { worker: true, api: false, embedded: false }, logger);
  runUntilSignal(service.stop, logger);
}

main().catch(exitOnStartupError);
