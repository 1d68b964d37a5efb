/**
 * Change-set benchmark: a daily-budget change (+10 %) on 5,000 ad sets and a pause of 5,000 ads,
 * each previewed, confirmed and applied by `changeSetWorkflow` through a real Temporal dev server
 * and worker into a fresh PostgreSQL database, against the Graph simulator with a per-request
 * latency (100 ms, like Meta from a nearby region).
 *
 * Prints `changes.*` lines per run: Graph requests the apply made vs the lower bound (one `?ids=`
 * read and one batch write per 50 items; target <= 1.05x), apply wall time vs the latency floor
 * (those requests one after another at the simulator's latency), items per second, and Temporal
 * history events per chunk (target <= 4).
 *
 *   npm run bench:changes
 * Env: BENCH_DATABASE_URL (server URL; a database is created and dropped), BENCH_LATENCY_MS (100),
 *      BENCH_ITEMS (5000).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import { defaultMetaClientFactory, type MetaClientFactory } from '../activities/activity-deps';
import { workflowIds } from '../domain/workflow-ids';
import type { ChangeSetResult } from '../domain/contracts/change-set';
import { createTokenCipher } from '../src/meta';
import type { Actor } from '../src/operations/actor';
import { confirmChangeSet } from '../src/operations/change-set-apply';
import { previewChangeSet, type ChangeSetPreviewView } from '../src/operations/change-set-preview';
import type { ServiceContext } from '../src/operations/service-context';
import { startSimulator } from '../src/simulator/simulator-server';
import { startBenchStack } from './bench-stack';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const LATENCY_MS = Number(env('BENCH_LATENCY_MS', '100'));
const ITEMS = Number(env('BENCH_ITEMS', '5000'));
const TOKEN = 'bench-changes-token';
const BATCH = 50;

async function main(): Promise<void> {
  const t0 = performance.now();
  // One account: 200 campaigns of 50 ad sets of one ad each, all ACTIVE (besides the generator's
  // fixed PAUSED/ARCHIVED/DELETED 2nd-4th objects); about 60 % of the campaigns leave the budget
  // to their ad sets. The account score is a tier that allows 5,000 writes in a few minutes.
  const sim = await startSimulator({
    profile: {
      name: 'bench-changes',
      adAccounts: [{ timezone: 'America/New_York', currency: 'USD', campaigns: 200, adsetsPerCampaign: 50, adsPerAdset: 1 }],
      insightsDays: 1,
      hourlyDays: 1,
      statusMix: { paused: 0, archived: 0, deleted: 0 },
    },
    port: 0,
    seed: 7,
    tokens: [TOKEN],
    latencyMs: LATENCY_MS,
    quota: { scoreMax: 1_000_000 },
  });
  const key = randomBytes(32);
  const stack = await startBenchStack('changes', { META_MODE: 'demo', META_GRAPH_URL: sim.url, TOKEN_ENCRYPTION_KEY: `bench:${key.toString('base64')}` });
  const tokenCipher = createTokenCipher({ keys: { bench: key }, activeKeyId: 'bench' });
  // Every Graph response the worker's clients see (errors too): the apply's request count.
  let graphResponses = 0;
  const defaultFactory = defaultMetaClientFactory(stack.config);
  const createMetaClient: MetaClientFactory = (accessToken, context) =>
    defaultFactory(accessToken, {
      ...context,
      onUsage: (usage, info) => {
        graphResponses++;
        context.onUsage?.(usage, info);
      },
    });
  await stack.startWorker({ tokenCipher, createMetaClient });
  const { db, client, taskQueue } = stack;
  console.log(`changes.setup_ms ${Math.round(performance.now() - t0)}`);
  console.log(`changes.latency_ms ${LATENCY_MS} items ${ITEMS} batch ${BATCH} chunks_per_activity ${stack.config.changeSets.chunksPerActivity}`);

  try {
    const companyId = randomUUID();
    await db.company.create({ data: { id: companyId, name: 'bench' } });
    const account = [...sim.state.accounts.values()][0]!;
    const encrypted = tokenCipher.encrypt(TOKEN);
    await db.adAccount.create({
      data: { id: account.id, companyId, accountId: account.accountId, name: account.name, currency: account.currency, timezoneName: account.timezone, encryptedAccessToken: encrypted.ciphertext, tokenKeyId: encrypted.keyId },
    });
    const tSync = performance.now();
    await client.workflow.execute('fullSyncWorkflow', {
      taskQueue, workflowId: workflowIds.fullSync(account.id), workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING, args: [{ companyId, adAccountId: account.id }],
    });
    console.log(`changes.full_sync_ms ${Math.round(performance.now() - tSync)}`);

    const ctx: ServiceContext = { config: stack.config, db, temporal: client, runtime: { databaseMode: 'external', temporalAddress: stack.server.address, startedAt: new Date() }, tokenCipher };
    const actor: Actor = { tokenId: randomUUID(), companyId, scopes: ['read', 'write'] };

    const historyEvents = async (workflowId: string): Promise<number> => {
      let events = 0;
      // Continue-as-new runs share the workflow id: count every run of it.
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        events += (await client.workflow.getHandle(workflowId, execution.runId).fetchHistory()).events?.length ?? 0;
      }
      return events;
    };

    const run = async (name: string, items: Array<{ id: string; level: 'adset' | 'ad'; set: Record<string, unknown> }>): Promise<void> => {
      if (items.length < ITEMS) throw new Error(`${name}: only ${items.length} eligible objects (want ${ITEMS})`);
      const tPreview = performance.now();
      const preview: ChangeSetPreviewView = await previewChangeSet(ctx, actor, { adAccountId: account.id, items: items.slice(0, ITEMS) });
      const previewMs = performance.now() - tPreview;
      if (preview.violationCount > 0) throw new Error(`${name}: ${preview.violationCount} violations, e.g. ${JSON.stringify(preview.violations.slice(0, 3))}`);
      const before = graphResponses;
      const tApply = performance.now();
      const confirmed = await confirmChangeSet(ctx, actor, { changeSetId: preview.changeSetId, planHash: preview.planHash });
      const result = (await client.workflow.getHandle(confirmed.workflowId).result()) as ChangeSetResult;
      const applyMs = performance.now() - tApply;
      const calls = graphResponses - before;
      const chunks = Math.ceil(preview.itemCount / BATCH);
      const bound = 2 * chunks;
      const events = await historyEvents(confirmed.workflowId);
      const floorMs = bound * LATENCY_MS;
      console.log(`changes.${name}.items ${preview.itemCount} status ${result.status} applied ${result.counts.applied} already_applied ${result.counts.alreadyApplied} failed ${result.counts.failed} skipped ${result.counts.skipped}`);
      console.log(`changes.${name}.preview_ms ${Math.round(previewMs)}`);
      console.log(`changes.${name}.graph_calls ${calls} lower_bound ${bound} ratio ${(calls / bound).toFixed(3)} (one read + one batch write per ${BATCH} items; target <= 1.05)`);
      console.log(`changes.${name}.apply_ms ${Math.round(applyMs)} latency_floor_ms ${floorMs} ratio ${(applyMs / floorMs).toFixed(2)} (${bound} requests one after another at ${LATENCY_MS} ms)`);
      console.log(`changes.${name}.items_per_s ${Math.round(preview.itemCount / (applyMs / 1000))}`);
      console.log(`changes.${name}.history_events ${events} chunks ${chunks} events_per_chunk ${(events / chunks).toFixed(2)} (target <= 4)`);
    };

    const adsets = await db.adSet.findMany({ where: { adAccountId: account.id, status: 'ACTIVE', dailyBudget: { not: null }, deletedAt: null }, orderBy: { id: 'asc' }, select: { id: true } });
    await run('budget', adsets.map((a) => ({ id: a.id, level: 'adset' as const, set: { dailyBudget: { percent: 10 } } })));
    const ads = await db.ad.findMany({ where: { adAccountId: account.id, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' }, select: { id: true } });
    await run('pause', ads.map((a) => ({ id: a.id, level: 'ad' as const, set: { status: 'PAUSED' } })));
  } finally {
    await stack.close();
    await sim.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
