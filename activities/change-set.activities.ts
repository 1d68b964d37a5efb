/**
 * Activities of `changeSetWorkflow`. Items never travel through workflow history: every activity
 * takes the change set's id and reads its items from PostgreSQL, and answers counts.
 *
 * Applying is read-before-write, chunk by chunk (one Graph batch of ≤ 50 items each): the chunk's
 * items are committed as in flight first, their live values are read with one `?ids=` request,
 * and then, per item, live = after → settled without a write; live = before → written; anything
 * else → skipped as drifted with both values. An ambiguous outcome (5xx, timeout, a `null` batch
 * item) leaves the item in flight and the next attempt's read settles it, so a write never
 * lands twice. Meta's per-object limits defer that item only; account throttles wait Meta's
 * estimate (retryable failure with `nextRetryDelay`), exactly as the syncs do.
 */
import { cancellationSignal, heartbeat } from '@temporalio/activity';
import type { ChangeField, ChangeLevel, FieldValue } from '../domain/change-set-vocabulary';
import { ChangeSetStatus, type ChangeSetCounts, type ChangeSetSource } from '../domain/contracts/change-set';
import {
  cancelUnsentItems, claimNextChunk, countChangeSetItems, expireChangeSet, failUnsentItems, findChangeSet, finishChangeSet, isCancelRequested,
  markChangeSetConfirmed, markWritesSent, nextDeferredAt, recordAppliedItems, recordCreatedItem, settleItems,
  type ChangeSetRow, type ClaimedItem, type ItemOutcome,
} from '../src/db/change-set-repository';
import { upsertEntityPage, type EntityTable } from '../src/db/entity-upsert';
import {
  MetaApiError, MetaAuthError, MetaObjectChangeLimitError, MetaThrottleError, MetaTransientError, NotFoundError, ValidationError,
} from '../src/errors';
import {
  AD_FIELDS, ADSET_FIELDS, CAMPAIGN_FIELDS, CREATE_EDGE, createParams, currencyOffset, liveReadFields, liveValues, parseAd, parseAdSet, parseCampaign,
  updateParams, type MetaClient,
} from '../src/meta';
import type { ActivityDeps } from './activity-deps';
import { openAdAccount, type OpenedAdAccount } from './meta-access';
import { assertUsageBelowThreshold, runMetaActivity } from './meta-failures';

/** An item sent this many times without settling is failed instead of written again. */
export const MAX_ITEM_ATTEMPTS = 12;
/** A create found by name counts as ours when Meta created it at most this long before our first attempt (clock skew). */
const CREATE_SEARCH_SKEW_MS = 10 * 60_000;

/** Input of {@link applyChangeSetChunks}. */
export interface ApplyChunksInput {
  changeSetId: string;
  adAccountId: string;
  workflowId: string;
  /** Chunks this call sends before it reports back. */
  maxChunks: number;
  /** Wait after Meta's per-object change limit. */
  objectLimitDeferMs: number;
  /** After a cancel: only settle items in flight by a read; never write. */
  settleOnly?: boolean;
}

/** What is left after a call. */
export type ApplyRemaining = 'more' | 'deferred' | 'done' | 'canceled';

/** Result of {@link applyChangeSetChunks}: counts only. */
export interface ApplyChunksResult {
  counts: ChangeSetCounts;
  chunks: number;
  remaining: ApplyRemaining;
  /** When only deferred items remain: the earliest `not_before` (ISO). */
  nextDueAt?: string;
  /** Graph requests this call made (reads, batches, creates). */
  graphCalls: number;
}

interface ApplyContext {
  deps: ActivityDeps;
  set: ChangeSetRow;
  account: OpenedAdAccount & { currency: string };
  client: MetaClient;
  input: ApplyChunksInput;
  offset: number;
  calls: number;
  /** An account throttle seen in a batch item: rethrown once the chunk's outcomes are recorded. */
  throttle?: MetaThrottleError;
  /**
   * Heartbeats, then stops if the worker is shutting down. Called only between steps, never
   * while a write is on its way: a write that left is always waited for, so a retried attempt
   * cannot read before it lands and write the same change again.
   */
  checkpoint(): void;
}

const TABLE_OF: Record<ChangeLevel, EntityTable> = { campaign: 'campaigns', adset: 'ad_sets', ad: 'ads' };
const FIELDS_OF: Record<ChangeLevel, readonly string[]> = { campaign: CAMPAIGN_FIELDS, adset: ADSET_FIELDS, ad: AD_FIELDS };

/** Activities that apply change sets. */
export function createChangeSetActivities(deps: ActivityDeps) {
  return {
    /**
     * Records the confirm: the set becomes `applying`, its items `pending` (one transaction;
     * idempotent). Refused (non-retryable ConflictError) when another set still applies one of
     * its objects.
     */
    async confirmChangeSetItems(input: { changeSetId: string; confirmedBy: string }): Promise<{ confirmedBy: string; confirmedAt: string }> {
      const confirmed = await markChangeSetConfirmed(deps.db, input);
      return { confirmedBy: confirmed.confirmedBy, confirmedAt: confirmed.confirmedAt.toISOString() };
    },

    /** Marks an unconfirmed set expired (its items canceled). */
    async expireChangeSet(input: { changeSetId: string }): Promise<{ expired: boolean; counts: ChangeSetCounts }> {
      const expired = await expireChangeSet(deps.db, input.changeSetId);
      return { expired, counts: await countChangeSetItems(deps.db, input.changeSetId) };
    },

    /** Cancels every item not sent yet; in-flight items are left for a settling read. */
    async cancelUnsentChangeSetItems(input: { changeSetId: string }): Promise<{ canceled: number }> {
      return { canceled: await cancelUnsentItems(deps.db, input.changeSetId) };
    },

    /** Fails the items not sent yet of a set that cannot go on (its token was rejected...). */
    async failChangeSet(input: { changeSetId: string; code: string; message: string }): Promise<{ counts: ChangeSetCounts }> {
      await failUnsentItems(deps.db, input.changeSetId, { code: input.code, message: input.message });
      const counts = await countChangeSetItems(deps.db, input.changeSetId);
      await finishChangeSet(deps.db, { changeSetId: input.changeSetId, status: ChangeSetStatus.Failed, counts });
      return { counts };
    },

    /** Closes a set: completed, completed with errors (failed or skipped items) or canceled. */
    async finishChangeSetRun(input: { changeSetId: string; canceled: boolean }): Promise<{ status: ChangeSetStatus; counts: ChangeSetCounts }> {
      const counts = await countChangeSetItems(deps.db, input.changeSetId);
      const status = input.canceled
        ? ChangeSetStatus.Canceled
        : counts.failed + counts.skipped + counts.inFlight + counts.canceled > 0
          ? ChangeSetStatus.CompletedWithErrors
          : ChangeSetStatus.Completed;
      await finishChangeSet(deps.db, { changeSetId: input.changeSetId, status, counts });
      return { status, counts };
    },

    /**
     * Sends up to `maxChunks` chunks of a confirmed set (see the file comment), heartbeating
     * after each; stops early when a cancel was asked. Answers the set's counts and what is left.
     */
    async applyChangeSetChunks(input: ApplyChunksInput): Promise<ApplyChunksResult> {
      const set = await findChangeSet(deps.db, input.changeSetId);
      if (!set) throw new NotFoundError('Change set', input.changeSetId);
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { account, client } = await openAdAccount(deps, input.adAccountId);
        if (!account.currency) throw new ValidationError(`Ad account ${account.id} has no currency yet: sync its details first`);
        let chunks = 0;
        const ctx: ApplyContext = {
          deps, set, account: { ...account, currency: account.currency }, client, input, offset: currencyOffset(account.currency), calls: 0,
          checkpoint() {
            heartbeat({ chunks });
            const signal = cancellationSignal();
            if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('The activity was cancelled');
          },
        };
        let remaining: ApplyRemaining | undefined;
        while (chunks < input.maxChunks) {
          if (!input.settleOnly && (await isCancelRequested(deps.db, input.changeSetId))) {
            remaining = 'canceled';
            break;
          }
          const claimed = await claimNextChunk(deps.db, input.changeSetId, { inFlightOnly: input.settleOnly });
          if (!claimed) break;
          try {
            await applyChunk(ctx, claimed.items);
          } catch (error) {
            // A temporary failure after progress: report the progress (the items stay in flight for
            // the next call's read) instead of failing the attempt, so the back-off only grows while
            // Meta keeps failing from the first request on.
            if (error instanceof MetaTransientError && chunks > 0) {
              remaining = 'more';
              break;
            }
            throw error;
          }
          chunks++;
          if (ctx.throttle) throw ctx.throttle;
          ctx.checkpoint();
          assertUsageBelowThreshold(client, account.id);
        }
        const counts = await countChangeSetItems(deps.db, input.changeSetId);
        if (!remaining) {
          const open = input.settleOnly ? counts.inFlight : counts.pending + counts.inFlight;
          remaining = open > 0 ? 'more' : counts.deferred > 0 && !input.settleOnly ? 'deferred' : 'done';
        }
        const due = remaining === 'deferred' ? await nextDeferredAt(deps.db, input.changeSetId) : null;
        return { counts, chunks, remaining, ...(due ? { nextDueAt: due.toISOString() } : {}), graphCalls: ctx.calls };
      });
    },
  };
}

/** Applies (or, after a cancel, settles) one claimed chunk. */
async function applyChunk(ctx: ApplyContext, items: readonly ClaimedItem[]): Promise<void> {
  const creates = items.filter((i) => i.action === 'create');
  for (const item of creates) await applyCreate(ctx, item);
  const updates = items.filter((i) => i.action === 'update' && i.entityId);
  if (updates.length > 0) await applyUpdates(ctx, updates);
}

type Decision = { kind: 'ours' } | { kind: 'already' } | { kind: 'write'; values: Partial<Record<ChangeField, FieldValue>> } | { kind: 'drifted'; live: Partial<Record<ChangeField, FieldValue>> };

/** Compares an item's live values with its plan. */
function decide(item: ClaimedItem, live: Partial<Record<ChangeField, FieldValue>>): Decision {
  const fields = Object.keys(item.changes) as ChangeField[];
  const atAfter = fields.every((f) => live[f] === item.changes[f]!.after);
  if (atAfter) return item.lastWriteAt ? { kind: 'ours' } : { kind: 'already' };
  const known = fields.every((f) => live[f] === item.changes[f]!.after || live[f] === item.changes[f]!.before);
  if (!known) return { kind: 'drifted', live };
  // Only what is not there yet is sent: a repeated field would count against Meta's per-object limits.
  const values: Partial<Record<ChangeField, FieldValue>> = {};
  for (const f of fields) if (live[f] !== item.changes[f]!.after) values[f] = item.changes[f]!.after;
  return { kind: 'write', values };
}

function driftMessage(item: ClaimedItem, live: Partial<Record<ChangeField, FieldValue>>): string {
  const parts = (Object.keys(item.changes) as ChangeField[])
    .filter((f) => live[f] !== item.changes[f]!.after && live[f] !== item.changes[f]!.before)
    .map((f) => `${f} is ${live[f] ?? 'unset'} on Meta, the plan expected ${item.changes[f]!.before ?? 'unset'} (minor units for money)`);
  return `Changed on Meta since the preview, so nothing was written: ${parts.join('; ')}`;
}

function metaFailure(error: MetaApiError): Pick<ItemOutcome, 'metaCode' | 'metaSubcode' | 'errorCode' | 'errorMessage'> {
  return { metaCode: error.meta.metaCode, metaSubcode: error.meta.metaSubcode, errorCode: error.code, errorMessage: error.message };
}

async function applyUpdates(ctx: ApplyContext, items: readonly ClaimedItem[]): Promise<void> {
  const { deps, set, client, input } = ctx;
  const level = items[0]!.level;
  const fields = [...new Set(items.flatMap((i) => Object.keys(i.changes) as ChangeField[]))];
  ctx.checkpoint();
  ctx.calls += Math.ceil(items.length / 50);
  const live = await client.getByIds<Record<string, unknown>>(items.map((i) => i.entityId!), liveReadFields(level));
  const outcomes: ItemOutcome[] = [];
  const ours: number[] = [];
  const writes: Array<{ item: ClaimedItem; values: Partial<Record<ChangeField, FieldValue>> }> = [];
  for (const item of items) {
    const raw = live[item.entityId!];
    if (!raw) {
      outcomes.push({ position: item.position, status: 'failed', verified: true, errorCode: 'NOT_FOUND', errorMessage: `Meta no longer has ${level} ${item.entityId}` });
      continue;
    }
    const decision = decide(item, liveValues(level, raw, fields));
    if (decision.kind === 'ours') ours.push(item.position);
    else if (decision.kind === 'already') outcomes.push({ position: item.position, status: 'already_applied', verified: true });
    else if (decision.kind === 'drifted') outcomes.push({ position: item.position, status: 'skipped', verified: true, live: decision.live, errorCode: 'DRIFTED', errorMessage: driftMessage(item, decision.live) });
    else if (input.settleOnly) outcomes.push({ position: item.position, status: 'canceled', verified: true });
    else if (item.attempts > MAX_ITEM_ATTEMPTS) {
      outcomes.push({ position: item.position, status: 'failed', verified: true, errorCode: 'TOO_MANY_ATTEMPTS', errorMessage: `Meta never confirmed this change after ${item.attempts - 1} attempts; nothing landed` });
    } else writes.push({ item, values: decision.values });
  }
  const record = (positions: number[]) =>
    recordAppliedItems(deps.db, {
      changeSetId: set.id, companyId: set.companyId, adAccountId: set.adAccountId, level, offset: ctx.offset, source: set.source as ChangeSetSource,
      tokenId: set.confirmedBy ?? set.tokenId, workflowId: input.workflowId, positions,
    });
  await record(ours);
  if (writes.length > 0) {
    ctx.checkpoint();
    await markWritesSent(deps.db, set.id, writes.map((w) => w.item.position));
    ctx.calls++;
    let results: Awaited<ReturnType<MetaClient['batch']>>;
    try {
      // No automatic re-send of `null` items: an unanswered write stays in flight for the next read.
      results = await client.batch(writes.map((w) => ({ method: 'POST' as const, path: w.item.entityId!, params: updateParams(level, w.values) })), { maxAttempts: 1, adAccountId: ctx.account.id });
    } catch (error) {
      await settleItems(deps.db, set.id, outcomes);
      if (error instanceof MetaThrottleError) {
        // Meta refused the whole batch: nothing landed, so the items wait as pending.
        await settleItems(deps.db, set.id, writes.map((w) => ({ position: w.item.position, status: 'pending' })));
      }
      if (error instanceof MetaTransientError) return; // ambiguous: the next read settles every item
      throw error;
    }
    const applied: number[] = [];
    results.forEach((result, k) => {
      const position = writes[k]!.item.position;
      if (result.ok) applied.push(position);
      else if (result.error instanceof MetaObjectChangeLimitError) {
        const wait = Math.max(input.objectLimitDeferMs, 1_000);
        outcomes.push({ position, status: 'deferred', notBefore: new Date(Date.now() + wait), ...metaFailure(result.error) });
      } else if (result.error instanceof MetaThrottleError) {
        outcomes.push({ position, status: 'pending' });
        ctx.throttle ??= result.error;
      } else if (result.error instanceof MetaTransientError) {
        // Stays in flight: a 5xx after Meta applied the write is possible, the next read tells.
      } else if (result.error instanceof MetaAuthError) {
        ctx.throttle = undefined;
        throw result.error;
      } else {
        outcomes.push({ position, status: 'failed', ...metaFailure(result.error) });
      }
    });
    await record(applied);
  }
  await settleItems(deps.db, set.id, outcomes);
}

/** Meta's filter for objects named exactly so. */
function nameFilter(name: string): Record<string, unknown> {
  return { field: 'name', operator: 'EQUAL', value: name };
}

/**
 * A create: Meta has no idempotency key, so before any retry the edge is searched for an object
 * of this name created since the first attempt; only when none exists is the create sent again.
 * The new object is read back and stored (with its change_history `created` row) before the
 * item counts as applied.
 */
async function applyCreate(ctx: ApplyContext, item: ClaimedItem): Promise<void> {
  const { deps, set, client, account, input } = ctx;
  const spec = item.payload ?? {};
  const edge = `${account.id}/${CREATE_EDGE[item.level]}`;
  let id: string | undefined;
  if (item.lastWriteAt) {
    ctx.calls++;
    const page = await client.getEdgePage<{ id: string; name?: string; created_time?: string }>({
      path: edge,
      fields: ['id', 'name', 'created_time'],
      params: { filtering: [nameFilter(item.name ?? String(spec.name))] },
      limit: 50,
    });
    const since = item.sentAt.getTime() - CREATE_SEARCH_SKEW_MS;
    const found = page.data.find((o) => o.name === (item.name ?? spec.name) && (!o.created_time || Date.parse(o.created_time.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) >= since));
    id = found?.id;
  }
  if (!id) {
    if (input.settleOnly) {
      await settleItems(deps.db, set.id, [{ position: item.position, status: 'canceled', verified: true }]);
      return;
    }
    if (item.attempts > MAX_ITEM_ATTEMPTS) {
      await settleItems(deps.db, set.id, [{ position: item.position, status: 'failed', errorCode: 'TOO_MANY_ATTEMPTS', errorMessage: `Meta never confirmed the create after ${item.attempts - 1} attempts` }]);
      return;
    }
    ctx.checkpoint();
    await markWritesSent(deps.db, set.id, [item.position]);
    ctx.calls++;
    try {
      const created = await client.createObject<{ id?: string }>(edge, createParams(item.level, spec));
      id = created.id ? String(created.id) : undefined;
    } catch (error) {
      if (error instanceof MetaTransientError) return; // maybe created: the next attempt searches for it
      if (error instanceof MetaThrottleError) {
        await settleItems(deps.db, set.id, [{ position: item.position, status: 'pending' }]);
        throw error;
      }
      if (error instanceof MetaApiError && !(error instanceof MetaAuthError)) {
        await settleItems(deps.db, set.id, [{ position: item.position, status: 'failed', ...metaFailure(error) }]);
        return;
      }
      throw error;
    }
    if (!id) return; // an answer without id: search by name next time
  }
  ctx.calls++;
  const raw = await client.getObject(id, FIELDS_OF[item.level]);
  const parseContext = { currency: account.currency, adAccountId: account.id };
  const record = item.level === 'campaign' ? parseCampaign(raw, parseContext) : item.level === 'adset' ? parseAdSet(raw, parseContext) : parseAd(raw, parseContext);
  await recordCreatedItem(deps.db, {
    changeSetId: set.id, companyId: set.companyId, adAccountId: set.adAccountId, level: item.level, position: item.position, entityId: id,
    source: set.source as ChangeSetSource, tokenId: set.confirmedBy ?? set.tokenId, workflowId: input.workflowId, spec,
    writeRow: async (tx) => void (await upsertEntityPage(tx, TABLE_OF[item.level], [record])),
  });
}
