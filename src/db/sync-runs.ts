import type { Db } from './prisma-client';
import type { SyncRunKind, SyncRunStatus } from '../../domain/vocabulary';

export interface StartSyncRunInput {
  companyId: string;
  adAccountId?: string;
  kind: SyncRunKind;
  grain?: string;
  workflowId: string;
  runId: string;
}

export interface StartedSyncRun {
  syncRunId: string;
  /** Database clock at the run's first start (ISO): rows with `synced_at` before it were not seen by this run. */
  startedAt: string;
}

/** Creates the sync_runs row of a workflow run, or returns the existing one (idempotent on workflowId + runId). */
export async function startSyncRun(db: Db, input: StartSyncRunInput): Promise<StartedSyncRun> {
  const rows = await db.$queryRaw<Array<{ id: string; started_at: Date }>>`
    INSERT INTO sync_runs (id, company_id, ad_account_id, kind, grain, workflow_id, run_id, status, started_at)
    VALUES (gen_random_uuid(), ${input.companyId}::uuid, ${input.adAccountId ?? null}, ${input.kind}, ${input.grain ?? null},
            ${input.workflowId}, ${input.runId}, 'running', now())
    ON CONFLICT (workflow_id, run_id) DO UPDATE SET status = sync_runs.status
    RETURNING id::text AS id, started_at`;
  const row = rows[0]!;
  return { syncRunId: row.id, startedAt: row.started_at.toISOString() };
}

export interface FinishSyncRunInput {
  workflowId: string;
  runId: string;
  status: Exclude<SyncRunStatus, 'running'>;
  counts?: Record<string, number>;
  cursors?: Record<string, unknown>;
  /** Safe summary only (type and message); never a token. */
  error?: { type?: string; message: string };
}

/** Closes a sync_runs row with its counts, cursors and outcome. Idempotent. */
export async function finishSyncRun(db: Db, input: FinishSyncRunInput): Promise<void> {
  await db.syncRun.updateMany({
    where: { workflowId: input.workflowId, runId: input.runId },
    data: {
      status: input.status,
      counts: input.counts ?? {},
      cursors: (input.cursors ?? {}) as object,
      error: input.error ?? undefined,
      finishedAt: new Date(),
    },
  });
}

export type SyncRunRow = Awaited<ReturnType<Db['syncRun']['findFirstOrThrow']>>;

/** Sync runs of one ad account, newest first, keyset-paged on (started_at, id); `take` is the page size plus one. */
export async function listSyncRunRows(
  db: Db,
  input: { adAccountId: string; kind?: string; status?: string; before?: { startedAt: Date; id: string }; take: number },
): Promise<SyncRunRow[]> {
  return db.syncRun.findMany({
    where: {
      adAccountId: input.adAccountId,
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.before
        ? { OR: [{ startedAt: { lt: input.before.startedAt } }, { startedAt: input.before.startedAt, id: { lt: input.before.id } }] }
        : {}),
    },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: input.take,
  });
}
