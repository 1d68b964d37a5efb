/** Reads of an ad account's sync runs: what each full, incremental or metrics sync did and how it ended. */
import type { z } from 'zod';
import { loadOwnedAdAccount } from '../db/ad-account-repository';
import { listSyncRunRows, type SyncRunRow } from '../db/sync-runs';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import { listSyncRunsInput, syncRunView } from './schemas/account-history';
import type { ServiceContext } from './service-context';
import { checkCursorParts, iso } from './synced-reads';
import { parseInput } from './validation';

export type SyncRunView = z.infer<typeof syncRunView>;

function countsOf(value: unknown): Record<string, number> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

function errorOf(value: unknown): SyncRunView['error'] {
  if (!value || typeof value !== 'object') return null;
  const { type, message } = value as { type?: unknown; message?: unknown };
  return { type: typeof type === 'string' ? type : null, message: typeof message === 'string' ? message : 'failed' };
}

function toView(row: SyncRunRow): SyncRunView {
  return {
    id: row.id,
    adAccountId: row.adAccountId,
    kind: row.kind,
    grain: row.grain,
    workflowId: row.workflowId,
    runId: row.runId,
    status: row.status,
    counts: countsOf(row.counts),
    error: errorOf(row.error),
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
  };
}

/** Sync runs of one of the company's ad accounts (`read`), newest first. */
export async function listSyncRuns(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<SyncRunView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listSyncRunsInput, raw);
  const before = decodeCursor(input.cursor, ['startedAt', 'id']);
  checkCursorParts(before, { startedAt: 'time', id: 'uuid' });
  const account = await loadOwnedAdAccount(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId });
  const rows = await listSyncRunRows(ctx.db, {
    adAccountId: account.id, kind: input.kind, status: input.status, before: before ? { startedAt: new Date(before.startedAt), id: before.id } : undefined, take: input.limit + 1,
  });
  return toPage(rows, input.limit, toView, (row) => ({ startedAt: row.startedAt.toISOString(), id: row.id }));
}
