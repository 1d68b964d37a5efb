import { Writable } from 'node:stream';
import pino from 'pino';
import { startService, type ServiceParts } from '../../src/main/service';
import { freePort } from '../support/infra';
import { createTestDatabase, testConfig, type TestDatabase } from '../support/test-env';

// `npm run api` and `npm run worker` are the two halves of the service: each opens only what it
// uses. The parts a process stops on shutdown are the parts it started, so its log says which.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function partsStarted(parts: ServiceParts): Promise<{ stopped: string[]; health?: number }> {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => { lines.push(String(chunk)); done(); } }));
  const port = await freePort();
  const config = testConfig({ DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'info', TEMPORAL_TASK_QUEUE: `parts-${port}` });
  const service = await startService(config, parts, logger);
  const health = parts.api ? (await fetch(`http://127.0.0.1:${port}/health`)).status : undefined;
  await service.stop();
  const stopped = lines.map((line) => JSON.parse(line).msg as string).filter((msg) => msg.startsWith('stopped ')).map((msg) => msg.slice('stopped '.length));
  return { stopped, health };
}

test('an API-only process opens no activity database client and no bulk-write pool', async () => {
  const api = await partsStarted({ worker: false, api: true, embedded: false });
  expect(api.health).toBe(200);
  expect(api.stopped).toContain('HTTP API');
  expect(api.stopped).toContain('database client');
  expect(api.stopped).not.toContain('bulk-write database pool');
  expect(api.stopped).not.toContain('activity database client');
  expect(api.stopped).not.toContain('worker');
});

test('a worker-only process has the activities\' own client and pool, and serves no HTTP', async () => {
  const worker = await partsStarted({ worker: true, api: false, embedded: false });
  expect(worker.stopped).toEqual(expect.arrayContaining(['worker', 'bulk-write database pool', 'activity database client', 'database client']));
  expect(worker.stopped).not.toContain('HTTP API');
});
