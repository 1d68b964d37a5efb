/**
 * HTTP API benchmark: the app listening on a free port in front of its own PostgreSQL database,
 * its own Temporal dev server and a worker running the real workflows against the simulator
 * (with per-request latency, so the full sync stays RUNNING for the whole run). C concurrent
 * clients (plain `fetch` loops, each with its own API token) hammer, for N seconds each:
 *   (a) POST /v1/ad-accounts/:id/syncs {kind: full} for one account: every request must attach
 *       to the one running workflow (USE_EXISTING), checked against Temporal afterwards;
 *   (b) GET /v1/workflows/:id: describe + the workflow's progress query, answered by the worker;
 *   and the floor, GET /health, at the same concurrency in the same run.
 * Clients and server share this process, so the figures are a lower bound for the server alone.
 *
 * Prints `api.*` lines: rps, p50/p99 latency, errors, each route's rps as a share of /health, and
 * the same Temporal calls made directly (start with USE_EXISTING; describe) as a second floor.
 *
 *   npm run bench:api
 * Env: BENCH_DATABASE_URL (server URL; a database is created and dropped), BENCH_SECONDS (10),
 *      BENCH_CONCURRENCY (50), BENCH_WARMUP_SECONDS (2), BENCH_LATENCY_MS (6000).
 */
import os from 'node:os';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { buildApp } from '../src/api/app';
import { issueApiToken } from '../src/operations/api-tokens';
import type { ServiceContext } from '../src/operations/service-context';
import { startSimulator } from '../src/simulator/simulator-server';
import { freePort } from '../test/support/infra';
import { startBenchStack } from './bench-stack';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const SECONDS = Number(env('BENCH_SECONDS', '10'));
const WARMUP_SECONDS = Number(env('BENCH_WARMUP_SECONDS', '2'));
const CONCURRENCY = Number(env('BENCH_CONCURRENCY', '50'));
const LATENCY_MS = Number(env('BENCH_LATENCY_MS', '6000'));
const SIM_TOKEN = 'bench-api-token';

interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** Distinct response bodies seen (start-sync answers must all name the same run). */
  bodies: Set<string>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `concurrency` loops of a direct call (no HTTP) for `seconds`: the floors under the routes. */
async function loadCalls(options: { seconds: number; concurrency: number; call: () => Promise<unknown> }): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await options.call();
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => loop()));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), bodies: new Set() };
}

/** `concurrency` fetch loops for `seconds`; each request must answer `expectStatus`. */
async function load(options: { seconds: number; concurrency: number; request: (client: number) => { url: string; init?: RequestInit }; expectStatus: number; keepBodies?: boolean }): Promise<LoadResult> {
  const latencies: number[] = [];
  const bodies = new Set<string>();
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const loop = async (client: number): Promise<void> => {
    while (performance.now() < deadline) {
      const { url, init } = options.request(client);
      const t0 = performance.now();
      try {
        const response = await fetch(url, init);
        const body = await response.text();
        latencies.push(performance.now() - t0);
        if (response.status !== options.expectStatus) errors++;
        else if (options.keepBodies) bodies.add(body);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => loop(i)));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: percentile(sorted, 50), p99: percentile(sorted, 99), bodies };
}

function report(name: string, result: LoadResult): void {
  console.log(`api.${name}.rps ${result.rps.toFixed(0)}`);
  console.log(`api.${name}.p50_ms ${result.p50.toFixed(2)}`);
  console.log(`api.${name}.p99_ms ${result.p99.toFixed(2)}`);
  console.log(`api.${name}.requests ${result.requests} errors ${result.errors}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sim = await startSimulator({ profile: 'small', seed: 7, port: 0, tokens: [SIM_TOKEN], latencyMs: LATENCY_MS });
  const stack = await startBenchStack('api', {
    META_MODE: 'demo', META_GRAPH_URL: sim.url, TOKEN_ENCRYPTION_KEY: `bench:${randomBytes(32).toString('base64')}`,
    // The limiter stays in the path (its cost is measured) but never answers 429 here.
    API_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const { db, config, client: temporal, taskQueue } = stack;
  await stack.startWorker();
  console.log(`api.setup_ms ${Math.round(performance.now() - t0)}`);
  console.log(`api.config concurrency ${CONCURRENCY} seconds ${SECONDS} warmup_s ${WARMUP_SECONDS} sim_latency_ms ${LATENCY_MS} cpus ${os.cpus().length}`);
  const ctx: ServiceContext = { config, db, temporal, runtime: { databaseMode: 'external', temporalAddress: stack.server.address, startedAt: new Date() } };
  const app = await buildApp({ ctx, logger: pino({ level: 'silent' }) });
  const base = await app.listen({ host: '127.0.0.1', port: await freePort() });

  try {
    const companyId = randomUUID();
    await db.company.create({ data: { id: companyId, name: 'bench' } });
    const tokens = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => issueApiToken(db, { companyId, name: `client ${i}`, scopes: ['read', 'sync'] }).then((t) => t.token)));
    const writer = (await issueApiToken(db, { companyId, name: 'writer', scopes: ['write'] })).token;
    const adAccountId = [...sim.state.accounts.values()][0]!.id;
    const connected = await fetch(`${base}/v1/ad-accounts`, { method: 'POST', headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' }, body: JSON.stringify({ adAccountId, accessToken: SIM_TOKEN }) });
    if (connected.status !== 201) throw new Error(`connect answered ${connected.status}: ${await connected.text()}`);

    const headers = (client: number, json = false): Record<string, string> => ({ authorization: `Bearer ${tokens[client]}`, ...(json ? { 'content-type': 'application/json' } : {}) });
    const startSync = (client: number) => ({ url: `${base}/v1/ad-accounts/${adAccountId}/syncs`, init: { method: 'POST', headers: headers(client, true), body: '{"kind":"full"}' } });
    const first = (await (await fetch(startSync(0).url, startSync(0).init)).json()) as { workflowId: string; runId: string };
    const status = (client: number) => ({ url: `${base}/v1/workflows/${encodeURIComponent(first.workflowId)}`, init: { headers: headers(client) } });
    const health = () => ({ url: `${base}/health` });

    if (WARMUP_SECONDS > 0) {
      await load({ seconds: WARMUP_SECONDS, concurrency: CONCURRENCY, request: health, expectStatus: 200 });
      await load({ seconds: WARMUP_SECONDS, concurrency: CONCURRENCY, request: startSync, expectStatus: 202 });
      await load({ seconds: WARMUP_SECONDS, concurrency: CONCURRENCY, request: status, expectStatus: 200 });
    }
    const healthResult = await load({ seconds: SECONDS, concurrency: CONCURRENCY, request: health, expectStatus: 200 });
    const startResult = await load({ seconds: SECONDS, concurrency: CONCURRENCY, request: startSync, expectStatus: 202, keepBodies: true });
    const statusResult = await load({ seconds: SECONDS, concurrency: CONCURRENCY, request: status, expectStatus: 200, keepBodies: true });

    // The Temporal calls under the two routes, made directly with the same client (no HTTP, auth, SQL).
    const handle = temporal.workflow.getHandle(first.workflowId);
    const temporalStart = await loadCalls({
      seconds: SECONDS,
      concurrency: CONCURRENCY,
      call: () =>
        temporal.workflow.start('fullSyncWorkflow', {
          taskQueue, workflowId: first.workflowId, args: [{ companyId, adAccountId }], workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
    });
    // describe only: the progress query is answered by the worker one at a time per workflow, which
    // is why the route shares one in-flight query between concurrent requests (src/operations/workflows.ts).
    const temporalStatus = await loadCalls({ seconds: SECONDS, concurrency: CONCURRENCY, call: () => handle.describe() });

    report('health', healthResult);
    report('start_sync', startResult);
    report('status', statusResult);
    report('temporal_start', temporalStart);
    report('temporal_describe', temporalStatus);
    console.log(`api.start_sync.vs_health ${(startResult.rps / healthResult.rps).toFixed(3)}`);
    console.log(`api.status.vs_health ${(statusResult.rps / healthResult.rps).toFixed(3)}`);
    console.log(`api.start_sync.vs_temporal_start ${(startResult.rps / temporalStart.rps).toFixed(3)}`);
    console.log(`api.status.vs_temporal_describe ${(statusResult.rps / temporalStatus.rps).toFixed(3)}`);

    // Deduplication: every answer named the first run, and Temporal holds exactly one run of the id.
    const answers = [...startResult.bodies].map((body) => JSON.parse(body) as { workflowId: string; runId: string });
    const runs: string[] = [];
    for await (const execution of temporal.workflow.list({ query: `WorkflowId = '${first.workflowId}'` })) runs.push(execution.runId);
    const description = await temporal.workflow.getHandle(first.workflowId).describe();
    const statuses = new Set([...statusResult.bodies].map((body) => (JSON.parse(body) as { status: string }).status));
    console.log(`api.start_sync.distinct_answers ${answers.length} (all the first run: ${answers.every((a) => a.runId === first.runId)})`);
    console.log(`api.start_sync.runs_in_temporal ${runs.length} status ${description.status.name}`);
    console.log(`api.status.statuses_seen ${[...statuses].join(',')}`);
    const audits = await db.auditEvent.count({ where: { companyId, action: 'sync.start.full' } });
    console.log(`api.start_sync.audit_rows ${audits}`);
    if (temporalStart.errors > 0 || temporalStatus.errors > 0) process.exitCode = 1;
    if (runs.length !== 1 || !answers.every((a) => a.runId === first.runId)) process.exitCode = 1;
    await temporal.workflow.getHandle(first.workflowId).terminate('benchmark over');
  } finally {
    await app.close();
    await stack.close();
    await sim.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
