/**
 * Change sets in PostgreSQL (`bulk_requests` + `bulk_request_items`): set-based inserts of a
 * previewed plan (thousands of items in one statement), the confirm that moves items to
 * pending (a partial unique index keeps one outstanding change per object), the claim of the
 * next chunk (committed as in flight before anything is sent), per-item outcomes, and the one
 * transaction that records an applied item: its row, its change_history and an audit event.
 */
import type { ChangeLevel, ItemChanges } from '../../domain/change-set-vocabulary';
import {
  COUNT_KEY_BY_STATUS, emptyCounts, ItemStatus, type ChangeSetCounts, type ChangeSetSource, type ChangeSetStatus,
} from '../../domain/contracts/change-set';
import { ConflictError } from '../errors';
import { Prisma, type Db } from './prisma-client';

/** A previewed change set, before it is stored. */
export interface NewChangeSet {
  id: string;
  companyId: string;
  adAccountId: string;
  kind: 'update' | 'create';
  source: ChangeSetSource;
  requestedBy: string;
  tokenId: string | null;
  status: ChangeSetStatus;
  params: unknown;
  planHash: string;
  expiresAt: Date;
  requiresConfirmation: boolean;
  totals: unknown;
  violations: unknown[];
  violationCount: number;
  chunkCount: number;
  workflowId: string | null;
}

/** One item of a previewed change set. */
export interface NewChangeSetItem {
  position: number;
  action: 'update' | 'create';
  entityType: ChangeLevel;
  entityId: string | null;
  campaignId: string | null;
  parentId: string | null;
  name: string | null;
  chunk: number;
  changes: ItemChanges;
  payload: unknown;
  violations: unknown[];
}

/** Stores a previewed set and all its items: the items go in one INSERT ... SELECT, whatever their number. */
export async function insertChangeSet(db: Db, set: NewChangeSet, items: readonly NewChangeSetItem[]): Promise<void> {
  const rows = items.map((i) => ({
    position: i.position, action: i.action, entity_type: i.entityType, entity_id: i.entityId, campaign_id: i.campaignId,
    parent_id: i.parentId, name: i.name, chunk: i.chunk, changes: i.changes, payload: i.payload ?? null, violations: i.violations,
  }));
  await db.$transaction([
    db.bulkRequest.create({
      data: {
        id: set.id, companyId: set.companyId, adAccountId: set.adAccountId, kind: set.kind, source: set.source, requestedBy: set.requestedBy,
        tokenId: set.tokenId, status: set.status, params: set.params as Prisma.InputJsonValue, planHash: set.planHash, expiresAt: set.expiresAt,
        requiresConfirmation: set.requiresConfirmation, totals: set.totals as Prisma.InputJsonValue, violations: set.violations as Prisma.InputJsonValue,
        violationCount: set.violationCount, itemCount: items.length, chunkCount: set.chunkCount, workflowId: set.workflowId,
      },
    }),
    db.$executeRawUnsafe(
      `INSERT INTO bulk_request_items (bulk_request_id, position, action, entity_type, entity_id, campaign_id, parent_id, name, chunk, changes, payload, violations, status)
       SELECT $1::uuid, x.position, x.action, x.entity_type, x.entity_id, x.campaign_id, x.parent_id, x.name, x.chunk, x.changes, x.payload, x.violations, 'planned'
       FROM jsonb_to_recordset($2::jsonb) AS x(position int, action text, entity_type text, entity_id text, campaign_id text, parent_id text, name text,
            chunk int, changes jsonb, payload jsonb, violations jsonb)`,
      set.id,
      JSON.stringify(rows),
    ),
  ]);
}

/** A stored change set row. */
export type ChangeSetRow = Prisma.BulkRequestGetPayload<object>;
export type ChangeSetItemRow = Prisma.BulkRequestItemGetPayload<object>;

/** The change set, or null. */
export async function findChangeSet(db: Db, id: string): Promise<ChangeSetRow | null> {
  return db.bulkRequest.findUnique({ where: { id } });
}

/** Items of a set in position order, keyset-paged. */
export async function listChangeSetItems(db: Db, input: { changeSetId: string; afterPosition?: number; limit: number; status?: string }): Promise<ChangeSetItemRow[]> {
  return db.bulkRequestItem.findMany({
    where: {
      bulkRequestId: input.changeSetId,
      ...(input.afterPosition !== undefined ? { position: { gt: input.afterPosition } } : {}),
      ...(input.status ? { status: input.status } : {}),
    },
    orderBy: { position: 'asc' },
    take: input.limit,
  });
}

/** Change sets of a company (optionally one account or status), newest first, keyset-paged. */
export async function listChangeSets(
  db: Db,
  input: { companyId: string; adAccountId?: string; status?: string; before?: { createdAt: Date; id: string }; limit: number },
): Promise<ChangeSetRow[]> {
  return db.bulkRequest.findMany({
    where: {
      companyId: input.companyId,
      ...(input.adAccountId ? { adAccountId: input.adAccountId } : {}),
      ...(input.status ? { status: input.status } : {}),
      ...(input.before
        ? { OR: [{ createdAt: { lt: input.before.createdAt } }, { createdAt: input.before.createdAt, id: { lt: input.before.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit,
  });
}

/** Objects among `entityIds` that another change set is still applying → that set's id. */
export async function outstandingChanges(db: Db, entityIds: readonly string[], exceptChangeSetId?: string): Promise<Map<string, string>> {
  if (entityIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<Array<{ entity_id: string; id: string }>>(
    `SELECT entity_id, bulk_request_id::text AS id FROM bulk_request_items
     WHERE entity_id = ANY($1::text[]) AND status IN ('pending', 'in_flight', 'deferred') AND ($2::uuid IS NULL OR bulk_request_id <> $2::uuid)`,
    [...entityIds],
    exceptChangeSetId ?? null,
  );
  return new Map(rows.map((r) => [r.entity_id, r.id]));
}

/**
 * Sum (minor units) of the daily-budget increases of the account's change sets confirmed since
 * the start of today in the account's time zone, except items that did not or will not apply.
 */
export async function confirmedDailyIncreaseToday(db: Db, adAccountId: string, timezone: string): Promise<string> {
  const rows = await db.$queryRawUnsafe<Array<{ total: string }>>(
    `SELECT COALESCE(sum(GREATEST(0, (i.changes->'dailyBudget'->>'after')::numeric - COALESCE((i.changes->'dailyBudget'->>'before')::numeric, 0))), 0)::text AS total
     FROM bulk_request_items i JOIN bulk_requests r ON r.id = i.bulk_request_id
     WHERE r.ad_account_id = $1 AND r.confirmed_at >= (date_trunc('day', now() AT TIME ZONE $2) AT TIME ZONE $2)
       AND i.changes->'dailyBudget' IS NOT NULL AND i.status NOT IN ('canceled', 'failed', 'skipped')`,
    adAccountId,
    timezone,
  );
  return rows[0]?.total.replace(/\.0+$/, '') ?? '0';
}

/** Names of live objects of a level in the account, plus names of creates still planned or outstanding. */
export async function takenNames(db: Db, adAccountId: string, level: ChangeLevel, names: readonly string[]): Promise<Set<string>> {
  const table = level === 'campaign' ? 'campaigns' : level === 'adset' ? 'ad_sets' : 'ads';
  const rows = await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT name FROM ${table} WHERE ad_account_id = $1 AND name = ANY($2::text[]) AND deleted_at IS NULL AND status IS DISTINCT FROM 'DELETED'
     UNION
     SELECT i.name FROM bulk_request_items i JOIN bulk_requests r ON r.id = i.bulk_request_id
     WHERE r.ad_account_id = $1 AND i.action = 'create' AND i.entity_type = $3 AND i.name = ANY($2::text[])
       AND (i.status IN ('pending', 'in_flight', 'deferred') OR (i.status = 'planned' AND r.status = 'previewed' AND r.expires_at > now()))`,
    adAccountId,
    [...names],
    level,
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * Confirms a previewed set: the set becomes `applying` and its items `pending`, in one
 * transaction. Idempotent (a confirmed set answers its first confirmation). An object another
 * set is still applying refuses the whole confirm with a ConflictError naming it.
 */
export async function markChangeSetConfirmed(db: Db, input: { changeSetId: string; confirmedBy: string }): Promise<{ confirmedBy: string; confirmedAt: Date }> {
  try {
    return await db.$transaction(async (tx) => {
      const set = await tx.bulkRequest.findUniqueOrThrow({ where: { id: input.changeSetId }, select: { status: true, confirmedBy: true, confirmedAt: true } });
      if (set.confirmedAt && set.confirmedBy) return { confirmedBy: set.confirmedBy, confirmedAt: set.confirmedAt };
      if (set.status !== 'previewed') throw new ConflictError(`Change set ${input.changeSetId} is ${set.status}; it can no longer be confirmed`, { status: set.status });
      const confirmedAt = new Date();
      await tx.bulkRequest.update({ where: { id: input.changeSetId }, data: { status: 'applying', confirmedBy: input.confirmedBy, confirmedAt } });
      await tx.$executeRawUnsafe(`UPDATE bulk_request_items SET status = 'pending' WHERE bulk_request_id = $1::uuid AND status = 'planned'`, input.changeSetId);
      return { confirmedBy: input.confirmedBy, confirmedAt };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const held = await db.$queryRawUnsafe<Array<{ entity_id: string; id: string }>>(
        `SELECT o.entity_id, o.bulk_request_id::text AS id FROM bulk_request_items mine
         JOIN bulk_request_items o ON o.entity_id = mine.entity_id AND o.bulk_request_id <> mine.bulk_request_id AND o.status IN ('pending', 'in_flight', 'deferred')
         WHERE mine.bulk_request_id = $1::uuid LIMIT 10`,
        input.changeSetId,
      );
      const list = held.map((h) => `${h.entity_id} (change set ${h.id})`).join(', ');
      throw new ConflictError(`Another change set is still applying changes to ${list || 'some of these objects'}; wait for it to finish or cancel it, then preview again`, {
        objects: held.map((h) => ({ objectId: h.entity_id, changeSetId: h.id })),
      });
    }
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${(error as Error).message ?? ''} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
  return /P2002|23505|unique constraint|bulk_request_items_one_outstanding_per_object/i.test(text);
}

/** An item the apply activity is about to send (committed as in flight). */
export interface ClaimedItem {
  position: number;
  action: 'update' | 'create';
  level: ChangeLevel;
  entityId: string | null;
  campaignId: string | null;
  parentId: string | null;
  name: string | null;
  changes: ItemChanges;
  payload: Record<string, unknown> | null;
  attempts: number;
  sentAt: Date;
  /** Set when a write for it was sent before: a read finding `after` means our write landed. */
  lastWriteAt: Date | null;
}

/**
 * Claims the next chunk: the lowest chunk with items pending (or deferred and due), else the
 * lowest with items still in flight from an earlier attempt. Its eligible items are committed
 * as in flight (attempts + 1, sent_at on the first attempt) before the caller reads or writes.
 */
export async function claimNextChunk(db: Db, changeSetId: string, options: { inFlightOnly?: boolean } = {}): Promise<{ chunk: number; items: ClaimedItem[] } | null> {
  const eligible = (t: string): string =>
    options.inFlightOnly
      ? `${t}status = 'in_flight'`
      : `(${t}status IN ('pending', 'in_flight') OR (${t}status = 'deferred' AND ${t}not_before <= now()))`;
  const rows = await db.$queryRawUnsafe<Array<{
    chunk: number; position: number; action: string; entity_type: string; entity_id: string | null; campaign_id: string | null; parent_id: string | null;
    name: string | null; changes: ItemChanges; payload: Record<string, unknown> | null; attempts: number; sent_at: Date; last_write_at: Date | null;
  }>>(
    `WITH next AS (
       SELECT chunk FROM bulk_request_items
       WHERE bulk_request_id = $1::uuid AND ${eligible('')}
       ORDER BY (status = 'in_flight'), chunk
       LIMIT 1
     )
     UPDATE bulk_request_items i
        SET status = 'in_flight', attempts = i.attempts + 1, sent_at = COALESCE(i.sent_at, now()), not_before = NULL
       FROM next
      WHERE i.bulk_request_id = $1::uuid AND i.chunk = next.chunk AND ${eligible('i.')}
     RETURNING i.chunk, i.position, i.action, i.entity_type, i.entity_id, i.campaign_id, i.parent_id, i.name, i.changes, i.payload, i.attempts, i.sent_at, i.last_write_at`,
    changeSetId,
  );
  if (rows.length === 0) return null;
  const items = rows
    .map((r): ClaimedItem => ({
      position: r.position, action: r.action as ClaimedItem['action'], level: r.entity_type as ChangeLevel, entityId: r.entity_id, campaignId: r.campaign_id,
      parentId: r.parent_id, name: r.name, changes: r.changes, payload: r.payload, attempts: r.attempts, sentAt: r.sent_at, lastWriteAt: r.last_write_at,
    }))
    .sort((a, b) => a.position - b.position);
  return { chunk: rows[0]!.chunk, items };
}

/** Marks that a write for these items is about to leave (committed before the request). */
export async function markWritesSent(db: Db, changeSetId: string, positions: readonly number[]): Promise<void> {
  if (positions.length === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE bulk_request_items SET last_write_at = now() WHERE bulk_request_id = $1::uuid AND position = ANY($2::int[]) AND status = 'in_flight'`,
    changeSetId,
    [...positions],
  );
}

/** An outcome of an in-flight item other than "our write landed" (see {@link recordAppliedItems}). */
export interface ItemOutcome {
  position: number;
  status: typeof ItemStatus.Pending | typeof ItemStatus.AlreadyApplied | typeof ItemStatus.Deferred | typeof ItemStatus.Failed | typeof ItemStatus.Skipped | typeof ItemStatus.Canceled;
  /** A live read settled it. */
  verified?: boolean;
  notBefore?: Date;
  live?: unknown;
  metaCode?: number;
  metaSubcode?: number;
  errorCode?: string;
  errorMessage?: string;
}

/** Writes outcomes of in-flight items, set-based; items no longer in flight are left alone. */
export async function settleItems(db: Db, changeSetId: string, outcomes: readonly ItemOutcome[]): Promise<number> {
  if (outcomes.length === 0) return 0;
  const rows = outcomes.map((o) => ({
    position: o.position, status: o.status, verified: o.verified ?? false, not_before: o.notBefore?.toISOString() ?? null, live: o.live ?? null,
    meta_code: o.metaCode ?? null, meta_subcode: o.metaSubcode ?? null, error_code: o.errorCode ?? null, error_message: o.errorMessage?.slice(0, 2000) ?? null,
  }));
  return db.$executeRawUnsafe(
    `UPDATE bulk_request_items i
        SET status = x.status, not_before = x.not_before, live = COALESCE(x.live, i.live),
            verified_at = CASE WHEN x.verified THEN now() ELSE i.verified_at END,
            meta_code = COALESCE(x.meta_code, i.meta_code), meta_subcode = COALESCE(x.meta_subcode, i.meta_subcode),
            error_code = COALESCE(x.error_code, i.error_code), error_message = COALESCE(x.error_message, i.error_message)
       FROM jsonb_to_recordset($2::jsonb) AS x(position int, status text, verified boolean, not_before timestamptz, live jsonb,
            meta_code int, meta_subcode int, error_code text, error_message text)
      WHERE i.bulk_request_id = $1::uuid AND i.position = x.position AND i.status = 'in_flight'`,
    changeSetId,
    JSON.stringify(rows),
  );
}

type ColumnKind = 'text' | 'money' | 'time';

/** Stored column of each change-set field per level (status also moves configured and effective status). */
const LEVEL_COLUMNS: Readonly<Record<ChangeLevel, { table: string; columns: Record<string, [column: string, kind: ColumnKind]> }>> = {
  campaign: {
    table: 'campaigns',
    columns: {
      name: ['name', 'text'], dailyBudget: ['daily_budget', 'money'], lifetimeBudget: ['lifetime_budget', 'money'], bidStrategy: ['bid_strategy', 'text'],
      startTime: ['start_time', 'time'], endTime: ['stop_time', 'time'], spendCap: ['spend_cap', 'money'],
    },
  },
  adset: {
    table: 'ad_sets',
    columns: {
      name: ['name', 'text'], dailyBudget: ['daily_budget', 'money'], lifetimeBudget: ['lifetime_budget', 'money'], bidAmount: ['bid_amount', 'money'],
      bidStrategy: ['bid_strategy', 'text'], startTime: ['start_time', 'time'], endTime: ['end_time', 'time'],
    },
  },
  ad: { table: 'ads', columns: { name: ['name', 'text'], bidAmount: ['bid_amount', 'money'] } },
};

/** Meta's derived delivery status after a status change, from the stored parents (as Meta derives it). */
function effectiveStatusSql(level: ChangeLevel, newStatus: string): string {
  if (level === 'campaign') return newStatus;
  const adset = level === 'ad' ? `WHEN s.status IN ('DELETED', 'ARCHIVED') THEN s.status` : '';
  const adsetPaused = level === 'ad' ? `WHEN s.status = 'PAUSED' THEN 'ADSET_PAUSED'` : '';
  return `CASE WHEN ${newStatus} <> 'ACTIVE' THEN ${newStatus}
    WHEN c.status IN ('DELETED', 'ARCHIVED') THEN c.status ${adset}
    WHEN c.status = 'PAUSED' THEN 'CAMPAIGN_PAUSED' ${adsetPaused}
    ELSE 'ACTIVE' END`;
}

/** Context of {@link recordAppliedItems}. */
export interface RecordAppliedInput {
  changeSetId: string;
  companyId: string;
  adAccountId: string;
  level: ChangeLevel;
  /** Minor units per major unit of the account currency (rows store major units). */
  offset: number;
  source: ChangeSetSource;
  /** The confirming token's id (change_history.actor); audit rows name it `token:<id>`. */
  tokenId: string | null;
  workflowId: string | null;
  positions: readonly number[];
}

/**
 * Records applied updates, in one statement (one transaction): the items become `succeeded`,
 * their objects' rows take the after values (status with configured and effective status),
 * every column that changed gets one change_history row (old, new, source, actor, workflow id)
 * and every item one audit event. Items no longer in flight are skipped, so a repeated call
 * records nothing twice; the next sync finds the rows equal to Meta and records nothing.
 */
export async function recordAppliedItems(db: Db, input: RecordAppliedInput): Promise<{ applied: number; changes: number }> {
  if (input.positions.length === 0) return { applied: 0, changes: 0 };
  const spec = LEVEL_COLUMNS[input.level];
  const after = (field: string): string => `d.changes->'${field}'->>'after'`;
  const has = (field: string): string => `d.changes->'${field}' IS NOT NULL`;
  const newValue = (field: string, column: string, kind: ColumnKind): string => {
    const cast = kind === 'money' ? `trim_scale((${after(field)})::numeric / $7::numeric)` : kind === 'time' ? `(${after(field)})::timestamptz` : after(field);
    return `CASE WHEN ${has(field)} THEN ${cast} ELSE o.${column} END AS ${column}`;
  };
  const columns = Object.entries(spec.columns).map(([field, [column, kind]]) => ({ field, column, kind }));
  const newStatus = `(${after('status')})`;
  const selects = [
    ...columns.map((c) => newValue(c.field, c.column, c.kind)),
    `CASE WHEN ${has('status')} THEN ${newStatus} ELSE o.status END AS status`,
    `CASE WHEN ${has('status')} THEN ${newStatus} ELSE o.configured_status END AS configured_status`,
    `CASE WHEN ${has('status')} THEN ${effectiveStatusSql(input.level, newStatus)} ELSE o.effective_status END AS effective_status`,
  ];
  const all = [...columns.map((c) => c.column), 'status', 'configured_status', 'effective_status'];
  const parents = input.level === 'campaign' ? '' : `LEFT JOIN campaigns c ON c.id = o.campaign_id ${input.level === 'ad' ? 'LEFT JOIN ad_sets s ON s.id = o.adset_id' : ''}`;
  const sql = `
    WITH done AS (
      UPDATE bulk_request_items i SET status = 'succeeded', applied_at = now(), verified_at = COALESCE(i.verified_at, now())
      WHERE i.bulk_request_id = $1::uuid AND i.position = ANY($2::int[]) AND i.status = 'in_flight' AND i.entity_id IS NOT NULL
      RETURNING i.entity_id, i.changes, i.position
    ),
    old AS (SELECT o.* FROM ${spec.table} o JOIN done d ON d.entity_id = o.id),
    new AS (SELECT o.id, ${selects.join(', ')} FROM old o JOIN done d ON d.entity_id = o.id ${parents}),
    upd AS (
      UPDATE ${spec.table} t SET ${all.map((c) => `${c} = n.${c}`).join(', ')}
      FROM new n WHERE t.id = n.id RETURNING 1
    ),
    hist AS (
      INSERT INTO change_history (company_id, ad_account_id, entity_type, entity_id, field, old_value, new_value, source, actor, workflow_id, occurred_at)
      SELECT $3::uuid, $4, $5, o.id, f.field, f.old_value, f.new_value, $6, $8, $9, now()
      FROM old o JOIN new n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES ${all.map((c) => `('${c}', to_jsonb(o.${c}), to_jsonb(n.${c}))`).join(', ')}) AS f(field, old_value, new_value)
      WHERE f.old_value IS DISTINCT FROM f.new_value
      RETURNING 1
    ),
    aud AS (
      INSERT INTO audit_events (company_id, actor, action, target_type, target_id, details, occurred_at)
      SELECT $3::uuid, $10, 'change_set.item.applied', $5, d.entity_id,
             jsonb_build_object('changeSetId', $1::text, 'position', d.position, 'fields', (SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(d.changes) k)), now()
      FROM done d
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM done)::int AS applied, (SELECT count(*) FROM hist)::int AS changes, (SELECT count(*) FROM upd)::int AS rows, (SELECT count(*) FROM aud)::int AS audits`;
  const result = await db.$queryRawUnsafe<Array<{ applied: number; changes: number }>>(
    sql,
    input.changeSetId,
    [...input.positions],
    input.companyId,
    input.adAccountId,
    input.level,
    input.source,
    String(input.offset),
    input.tokenId,
    input.workflowId,
    input.tokenId ? `token:${input.tokenId}` : 'system',
  );
  return { applied: result[0]?.applied ?? 0, changes: result[0]?.changes ?? 0 };
}

/** Context of {@link recordCreatedItem}. */
export interface RecordCreatedInput {
  changeSetId: string;
  companyId: string;
  adAccountId: string;
  level: ChangeLevel;
  position: number;
  entityId: string;
  source: ChangeSetSource;
  tokenId: string | null;
  workflowId: string | null;
  /** What was created (canonical spec, no secrets), kept as the change_history new value. */
  spec: unknown;
  /** Writes the new object's row inside the same transaction. */
  writeRow: (tx: Db) => Promise<void>;
}

/** Records a create: the object's row, the item (with the new id), one `created` change_history row and an audit event. */
export async function recordCreatedItem(db: Db, input: RecordCreatedInput): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.$executeRawUnsafe(
      `UPDATE bulk_request_items SET status = 'succeeded', entity_id = $3, applied_at = now(), verified_at = now()
       WHERE bulk_request_id = $1::uuid AND position = $2 AND status = 'in_flight'`,
      input.changeSetId,
      input.position,
      input.entityId,
    );
    if (updated === 0) return false;
    await input.writeRow(tx as unknown as Db);
    await tx.changeHistory.create({
      data: {
        companyId: input.companyId, adAccountId: input.adAccountId, entityType: input.level, entityId: input.entityId, field: 'created',
        oldValue: Prisma.DbNull, newValue: input.spec as Prisma.InputJsonValue, source: input.source, actor: input.tokenId, workflowId: input.workflowId,
      },
    });
    await tx.auditEvent.create({
      data: {
        companyId: input.companyId, actor: input.tokenId ? `token:${input.tokenId}` : 'system', action: 'change_set.item.created', targetType: input.level,
        targetId: input.entityId, details: { changeSetId: input.changeSetId, position: input.position },
      },
    });
    return true;
  });
}

/** Items of a set per outcome. */
export async function countChangeSetItems(db: Db, changeSetId: string): Promise<ChangeSetCounts> {
  const rows = await db.$queryRawUnsafe<Array<{ status: string; n: number }>>(
    `SELECT status, count(*)::int AS n FROM bulk_request_items WHERE bulk_request_id = $1::uuid GROUP BY status`,
    changeSetId,
  );
  const counts = emptyCounts();
  for (const row of rows) {
    const key = COUNT_KEY_BY_STATUS[row.status as keyof typeof COUNT_KEY_BY_STATUS];
    if (key) counts[key] += row.n;
  }
  return counts;
}

/** Earliest `not_before` of the set's deferred items (null when none is deferred). */
export async function nextDeferredAt(db: Db, changeSetId: string): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<Array<{ at: Date | null }>>(
    `SELECT min(not_before) AS at FROM bulk_request_items WHERE bulk_request_id = $1::uuid AND status = 'deferred'`,
    changeSetId,
  );
  return rows[0]?.at ?? null;
}

/** Cancels every item not sent yet (planned, pending, deferred). Returns how many. */
export async function cancelUnsentItems(db: Db, changeSetId: string): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE bulk_request_items SET status = 'canceled', not_before = NULL WHERE bulk_request_id = $1::uuid AND status IN ('planned', 'pending', 'deferred')`,
    changeSetId,
  );
}

/** Asks a running apply to stop before its next chunk. */
export async function requestChangeSetCancel(db: Db, changeSetId: string): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE bulk_requests SET cancel_requested_at = COALESCE(cancel_requested_at, now()) WHERE id = $1::uuid`, changeSetId);
}

/** True when a cancel was asked for the set. */
export async function isCancelRequested(db: Db, changeSetId: string): Promise<boolean> {
  const row = await db.bulkRequest.findUnique({ where: { id: changeSetId }, select: { cancelRequestedAt: true } });
  return Boolean(row?.cancelRequestedAt);
}

/** Marks an unconfirmed set expired and cancels its planned items; false when it was confirmed or closed meanwhile. */
export async function expireChangeSet(db: Db, changeSetId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.$executeRawUnsafe(
      `UPDATE bulk_requests SET status = 'expired', finished_at = now() WHERE id = $1::uuid AND status = 'previewed' AND confirmed_at IS NULL`,
      changeSetId,
    );
    if (updated === 0) return false;
    await tx.$executeRawUnsafe(`UPDATE bulk_request_items SET status = 'canceled' WHERE bulk_request_id = $1::uuid AND status = 'planned'`, changeSetId);
    return true;
  });
}

/** Fails every item not sent yet with the reason (the set could not go on). */
export async function failUnsentItems(db: Db, changeSetId: string, reason: { code: string; message: string }): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE bulk_request_items SET status = 'failed', error_code = $2, error_message = $3, not_before = NULL
     WHERE bulk_request_id = $1::uuid AND status IN ('planned', 'pending', 'deferred')`,
    changeSetId,
    reason.code,
    reason.message.slice(0, 2000),
  );
}

/** Closes a set with its final status and counts (idempotent). */
export async function finishChangeSet(db: Db, input: { changeSetId: string; status: ChangeSetStatus; counts: ChangeSetCounts }): Promise<void> {
  await db.bulkRequest.update({
    where: { id: input.changeSetId },
    data: { status: input.status, counts: input.counts as unknown as Prisma.InputJsonValue, finishedAt: new Date() },
  });
}
