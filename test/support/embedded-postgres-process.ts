// Runs an embedded PostgreSQL for the test run when the machine has none (see global-setup.ts).
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { readOrCreateSecret } from '../../src/main/data-dir';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const server = await startEmbeddedPostgres({ dataDir, port: Number(port), database: 'postgres', password: readOrCreateSecret(`${dataDir}-password`) });
  process.stdout.write(`READY ${server.url}\n`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
