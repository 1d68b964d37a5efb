import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import { ValidationError } from '../src/errors';
import {
  effectiveStatusFilter, updatedSinceFilter, FilterOperator,
  AD_ACCOUNT_FIELDS, AD_CREATIVE_FIELDS, AD_FIELDS, ADSET_FIELDS, CAMPAIGN_FIELDS, CUSTOM_AUDIENCE_FIELDS, INSTAGRAM_ACCOUNT_FIELDS,
  LEAD_FIELDS, PIXEL_FIELDS, PRODUCT_FEED_FIELDS, PRODUCT_SET_FIELDS,
  parseAd, parseAdAccount, parseAdCreative, parseAdSet, parseBusiness, parseCampaign, parseCustomAudience, parseInstagramAccount,
  parseLead, parseLeadForm, parsePage, parsePixel, parseProduct, parseProductCatalog, parseProductFeed, parseProductSet,
  type AdCreativeRecord, type FilterEntity, type MetaFilter,
} from '../src/meta';
import {
  initialiseSyncCursors, linkAdAccountPages, replaceCarouselCards, softDeleteMissing, upsertEntityPage,
  type EntityTable, type SoftDeleteScope,
} from '../src/db/entity-upsert';
import type { EntityProgress } from '../workflows/shared';
import type { ActivityDeps } from './activity-deps';
import { openAdAccount, type OpenedAdAccount } from './meta-access';
import { assertUsageBelowThreshold, runMetaActivity } from './meta-failures';

/** Every entity an account sync reads, in dependency order. */
export const SYNC_ENTITIES = [
  'campaigns', 'adsets', 'ads', 'adcreatives', 'customaudiences', 'pixels', 'pages', 'leadforms', 'instagramaccounts', 'leads',
  'productcatalogs', 'productfeeds', 'products', 'productsets',
] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/** Entities with `updated_time` filtering and change history (the incremental sync's scope). */
export const INCREMENTAL_ENTITIES = ['campaigns', 'adsets', 'ads'] as const satisfies readonly SyncEntity[];
export type IncrementalEntity = (typeof INCREMENTAL_ENTITIES)[number];

/** Largest page size asked first; Meta's "reduce the amount of data" halves it (and we remember what worked). */
export const INITIAL_PAGE_SIZE = 5000;
/** Most ids per `IN` filter, to keep URLs short. */
const IDS_PER_FILTER = 50;

// Fields the simulator and Meta both serve for the secondary objects (the shared lists ask for a few
// fields these nodes do not have, e.g. `business` on pages and catalogs).
const PAGE_FIELDS = ['id', 'name', 'category'] as const;
const LEAD_FORM_FIELDS = ['id', 'name', 'status', 'leads_count', 'questions', 'created_time'] as const;
const PRODUCT_CATALOG_FIELDS = ['id', 'name', 'vertical', 'product_count'] as const;
const PRODUCT_FIELDS = ['id', 'retailer_id', 'name', 'price', 'availability', 'url', 'image_url'] as const;

/** Input of {@link syncEdge}. */
export interface SyncEdgeInput {
  adAccountId: string;
  entity: SyncEntity;
  /** `full` reads every object of every status; `incremental` only what changed since `since`. */
  mode: 'full' | 'incremental';
  /** ISO instant: objects with a later `updated_time` are read (incremental only). */
  since?: string;
  /** ISO start of the sync (database clock): changes recorded after it belong to this sync. */
  syncStartedAt: string;
}

/** Counts only: rows live in PostgreSQL, never in workflow history. */
export interface SyncEdgeResult {
  entity: SyncEntity;
  pages: number;
  rows: number;
  changes: number;
}

/** Heartbeat checkpoint: where a retried attempt resumes. */
export interface EdgeCheckpoint {
  phase: number;
  after?: string;
  limit: number;
  pages: number;
  rows: number;
  changes: number;
}

interface Phase {
  path: string;
  params: Record<string, unknown>;
  parentId?: string;
}

interface EdgeDef {
  table: EntityTable;
  fields: readonly string[];
  statusEntity?: FilterEntity;
  /** Parents whose edge is read (ids from the database); undefined = the account itself. */
  parents?: (ctx: EdgeContext) => Promise<string[]>;
  edge: string;
  parse: (raw: unknown, ctx: { account: OpenedAdAccount & { currency: string }; parentId?: string }) => object;
  softDeleteScope: (account: OpenedAdAccount) => SoftDeleteScope | undefined;
}

interface EdgeContext {
  deps: ActivityDeps;
  account: OpenedAdAccount;
}

const byId = (sql: string) => async (ctx: EdgeContext): Promise<string[]> => {
  const rows = await ctx.deps.db.$queryRawUnsafe<Array<{ id: string }>>(sql, ctx.account.id);
  return rows.map((r) => r.id);
};
const pagesOfAccount = byId(
  `SELECT p.id FROM pages p JOIN ad_account_pages l ON l.page_id = p.id WHERE l.ad_account_id = $1 AND p.deleted_at IS NULL ORDER BY p.id`,
);
const formsOfAccount = byId(
  `SELECT f.id FROM lead_forms f JOIN ad_account_pages l ON l.page_id = f.page_id WHERE l.ad_account_id = $1 AND f.deleted_at IS NULL ORDER BY f.id`,
);
const catalogsOfAccount = byId(
  `SELECT c.id FROM product_catalogs c JOIN ad_accounts a ON a.business_id = c.business_id WHERE a.id = $1 AND c.deleted_at IS NULL ORDER BY c.id`,
);
const businessOfAccount = async (ctx: EdgeContext): Promise<string[]> => (ctx.account.businessId ? [ctx.account.businessId] : []);

const accountScope = (a: OpenedAdAccount): SoftDeleteScope => ({ kind: 'adAccount', adAccountId: a.id });
const pagesChildScope = (a: OpenedAdAccount): SoftDeleteScope => ({ kind: 'childrenOfAccountPages', adAccountId: a.id });
const catalogChildScope = (a: OpenedAdAccount): SoftDeleteScope | undefined =>
  a.businessId ? { kind: 'childrenOfBusinessCatalogs', businessId: a.businessId } : undefined;

const EDGES: Record<SyncEntity, EdgeDef> = {
  campaigns: { table: 'campaigns', edge: 'campaigns', fields: CAMPAIGN_FIELDS, statusEntity: 'campaign', parse: (r, c) => parseCampaign(r, { currency: c.account.currency, adAccountId: c.account.id }), softDeleteScope: accountScope },
  adsets: { table: 'ad_sets', edge: 'adsets', fields: ADSET_FIELDS, statusEntity: 'adset', parse: (r, c) => parseAdSet(r, { currency: c.account.currency, adAccountId: c.account.id }), softDeleteScope: accountScope },
  ads: { table: 'ads', edge: 'ads', fields: AD_FIELDS, statusEntity: 'ad', parse: (r, c) => parseAd(r, { currency: c.account.currency, adAccountId: c.account.id }), softDeleteScope: accountScope },
  adcreatives: { table: 'ad_creatives', edge: 'adcreatives', fields: AD_CREATIVE_FIELDS, parse: (r, c) => parseAdCreative(r, { currency: c.account.currency, adAccountId: c.account.id }), softDeleteScope: accountScope },
  customaudiences: { table: 'custom_audiences', edge: 'customaudiences', fields: CUSTOM_AUDIENCE_FIELDS, parse: (r, c) => parseCustomAudience(r, { adAccountId: c.account.id }), softDeleteScope: accountScope },
  pixels: { table: 'pixels', edge: 'adspixels', fields: PIXEL_FIELDS, parse: (r, c) => parsePixel(r, { adAccountId: c.account.id }), softDeleteScope: accountScope },
  pages: { table: 'pages', edge: 'promote_pages', fields: PAGE_FIELDS, parse: (r) => parsePage(r), softDeleteScope: (a) => ({ kind: 'pagesOfAdAccount', adAccountId: a.id }) },
  leadforms: { table: 'lead_forms', edge: 'leadgen_forms', parents: pagesOfAccount, fields: LEAD_FORM_FIELDS, parse: (r, c) => parseLeadForm(r, { pageId: c.parentId }), softDeleteScope: pagesChildScope },
  instagramaccounts: { table: 'instagram_accounts', edge: 'instagram_accounts', parents: pagesOfAccount, fields: INSTAGRAM_ACCOUNT_FIELDS, parse: (r, c) => parseInstagramAccount(r, { pageId: c.parentId }), softDeleteScope: pagesChildScope },
  leads: { table: 'leads', edge: 'leads', parents: formsOfAccount, fields: LEAD_FIELDS, parse: (r, c) => parseLead(r, { formId: c.parentId }), softDeleteScope: () => undefined },
  productcatalogs: { table: 'product_catalogs', edge: 'owned_product_catalogs', parents: businessOfAccount, fields: PRODUCT_CATALOG_FIELDS, parse: (r, c) => parseProductCatalog(r, { businessId: c.parentId }), softDeleteScope: (a) => (a.businessId ? { kind: 'business', businessId: a.businessId } : undefined) },
  productfeeds: { table: 'product_feeds', edge: 'product_feeds', parents: catalogsOfAccount, fields: PRODUCT_FEED_FIELDS, parse: (r, c) => parseProductFeed(r, { catalogId: c.parentId! }), softDeleteScope: catalogChildScope },
  products: { table: 'products', edge: 'products', parents: catalogsOfAccount, fields: PRODUCT_FIELDS, parse: (r, c) => parseProduct(r, { catalogId: c.parentId! }), softDeleteScope: catalogChildScope },
  productsets: { table: 'product_sets', edge: 'product_sets', parents: catalogsOfAccount, fields: PRODUCT_SET_FIELDS, parse: (r, c) => parseProductSet(r, { catalogId: c.parentId! }), softDeleteScope: catalogChildScope },
};

/** Page sizes that worked, per account and entity, so the next sync does not pay for halving again. */
const workingPageSize = new Map<string, number>();

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Ids of parents (campaigns or ad sets) whose status changed during this sync: their children's
 * effective status changes on Meta without their `updated_time` moving, so they are read again.
 */
async function parentsWithStatusChange(deps: ActivityDeps, adAccountId: string, entityType: 'campaign' | 'adset', since: string): Promise<string[]> {
  const rows = await deps.db.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT DISTINCT entity_id AS id FROM change_history
     WHERE ad_account_id = $1 AND entity_type = $2 AND source = 'sync' AND occurred_at >= $3::timestamptz
       AND field IN ('status', 'configured_status', 'effective_status')
     ORDER BY 1`,
    adAccountId,
    entityType,
    since,
  );
  return rows.map((r) => r.id);
}

async function phasesFor(deps: ActivityDeps, account: OpenedAdAccount, def: EdgeDef, input: SyncEdgeInput): Promise<Phase[]> {
  if (def.parents) {
    const parents = await def.parents({ deps, account });
    return parents.map((parentId) => ({ path: `${parentId}/${def.edge}`, params: {}, parentId }));
  }
  const base = `${account.id}/${def.edge}`;
  if (!def.statusEntity) return [{ path: base, params: {} }];
  const statusFilter = effectiveStatusFilter(def.statusEntity);
  if (input.mode === 'full') return [{ path: base, params: { filtering: [statusFilter] } }];
  if (!input.since) throw new ValidationError('An incremental edge read needs `since`');
  const phases: Phase[] = [{ path: base, params: { filtering: [statusFilter, updatedSinceFilter(def.statusEntity, new Date(input.since))] } }];
  const parentFilters: Array<{ entity: 'campaign' | 'adset'; ids: string[] }> = [];
  if (def.statusEntity === 'adset' || def.statusEntity === 'ad') {
    parentFilters.push({ entity: 'campaign', ids: await parentsWithStatusChange(deps, account.id, 'campaign', input.syncStartedAt) });
  }
  if (def.statusEntity === 'ad') {
    parentFilters.push({ entity: 'adset', ids: await parentsWithStatusChange(deps, account.id, 'adset', input.syncStartedAt) });
  }
  for (const { entity, ids } of parentFilters) {
    for (const part of chunk(ids, IDS_PER_FILTER)) {
      const parentFilter: MetaFilter = { field: `${entity}.id`, operator: FilterOperator.In, value: part };
      phases.push({ path: base, params: { filtering: [statusFilter, parentFilter] } });
    }
  }
  return phases;
}

/** Activities that read Meta objects into PostgreSQL. */
export function createEntitySyncActivities(deps: ActivityDeps) {
  return {
    /**
     * Reads the ad account node (currency, time zone, status, business) and stores it with its
     * Business Manager. Returns ids only.
     */
    async syncAdAccountDetails(input: { adAccountId: string }): Promise<{ adAccountId: string; businessId: string | null; currency: string | null }> {
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { account, client } = await openAdAccount(deps, input.adAccountId);
        const raw = await client.getAdAccount(input.adAccountId, AD_ACCOUNT_FIELDS);
        const record = parseAdAccount(raw);
        const businessRaw = (raw as { business?: unknown }).business;
        if (record.businessId && businessRaw) {
          const business = parseBusiness(businessRaw);
          await upsertEntityPage(deps.db, 'business_managers', [{ ...business, companyId: account.companyId }]);
        }
        await deps.db.adAccount.update({
          where: { id: input.adAccountId },
          data: {
            accountId: record.accountId, businessId: record.businessId, name: record.name, accountStatus: record.accountStatus,
            disableReason: record.disableReason, currency: record.currency ?? account.currency, timezoneName: record.timezoneName ?? account.timezoneName,
            timezoneOffsetHours: record.timezoneOffsetHours?.toString() ?? null, amountSpent: record.amountSpent?.toString() ?? null,
            balance: record.balance?.toString() ?? null, spendCap: record.spendCap?.toString() ?? null, createdTime: record.createdTime,
            raw: raw as object, syncedAt: new Date(),
          },
        });
        assertUsageBelowThreshold(client, input.adAccountId);
        return { adAccountId: input.adAccountId, businessId: record.businessId, currency: record.currency };
      });
    },

    /**
     * Reads one edge page by page with the largest page size that works, writing each page with one
     * statement and heartbeating `{phase, after, pages, rows}` after the write; a retried attempt
     * resumes from the last heartbeat. Stops (retryable, with Meta's wait) when usage crosses the
     * threshold. Returns counts only.
     */
    async syncEdge(input: SyncEdgeInput): Promise<SyncEdgeResult> {
      const def = EDGES[input.entity];
      if (!def) throw new ValidationError(`Unknown sync entity "${String(input.entity)}"`);
      return runMetaActivity(deps, input.adAccountId, async () => {
        const { account, client } = await openAdAccount(deps, input.adAccountId);
        if (!account.currency) throw new ValidationError(`Ad account ${account.id} has no currency yet: sync its details first`);
        const withCurrency = { ...account, currency: account.currency };
        const sizeKey = `${account.id}|${input.entity}`;
        const info = activityInfo();
        const saved = info.heartbeatDetails as EdgeCheckpoint | undefined;
        const cp: EdgeCheckpoint = saved ?? { phase: 0, limit: workingPageSize.get(sizeKey) ?? INITIAL_PAGE_SIZE, pages: 0, rows: 0, changes: 0 };
        const phases = await phasesFor(deps, account, def, input);
        const history = def.statusEntity
          ? { companyId: account.companyId, adAccountId: account.id, source: 'sync' as const, workflowId: info.workflowExecution?.workflowId }
          : undefined;
        for (; cp.phase < phases.length; cp.phase++, cp.after = undefined) {
          const phase = phases[cp.phase]!;
          for (;;) {
            const page = await client.getEdgePage<unknown>({ path: phase.path, fields: def.fields, params: phase.params, limit: cp.limit, after: cp.after });
            cp.limit = page.limit;
            workingPageSize.set(sizeKey, page.limit);
            const records = page.data.map((raw) => def.parse(raw, { account: withCurrency, parentId: phase.parentId }));
            const written = await upsertEntityPage(deps.db, def.table, records, { changeHistory: history });
            if (def.table === 'ad_creatives') {
              const creatives = records as AdCreativeRecord[];
              await replaceCarouselCards(deps.db, creatives.flatMap((c) => c.carouselCards.map((card) => ({ ...card, creativeId: c.id }))), creatives.map((c) => c.id));
            }
            if (def.table === 'pages') await linkAdAccountPages(deps.db, account.id, records.map((r) => (r as { id: string }).id));
            cp.pages++;
            cp.rows += written.rows;
            cp.changes += written.changes;
            cp.after = page.after;
            const last = page.after === undefined;
            // Checkpoint AFTER the write: a replayed page is an idempotent upsert.
            heartbeat(last ? { ...cp, phase: cp.phase + 1, after: undefined } : { ...cp });
            // A worker shutting down cancels us: stop between pages, the heartbeat says where to resume.
            const signal = cancellationSignal();
            if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('The activity was cancelled');
            assertUsageBelowThreshold(client, account.id);
            if (last) break;
          }
        }
        return { entity: input.entity, pages: cp.pages, rows: cp.rows, changes: cp.changes };
      });
    },

    /**
     * Soft-deletes (`deleted_at`) the entity's rows of this account that the completed full read
     * did not return. Call only after the edge's syncEdge completed.
     */
    async softDeleteMissing(input: { adAccountId: string; entity: SyncEntity; syncStartedAt: string }): Promise<{ entity: SyncEntity; softDeleted: number }> {
      const def = EDGES[input.entity];
      const row = await deps.db.adAccount.findUniqueOrThrow({ where: { id: input.adAccountId }, select: { id: true, companyId: true, currency: true, timezoneName: true, businessId: true } });
      const scope = def.softDeleteScope(row);
      const softDeleted = scope ? await softDeleteMissing(deps.db, def.table, scope, new Date(input.syncStartedAt)) : 0;
      return { entity: input.entity, softDeleted };
    },

    /**
     * Marks a finished sync on the account and moves the incremental cursors to the highest
     * `updated_time` stored per entity. Returns the cursors (ISO).
     */
    async completeAccountSync(input: { adAccountId: string; kind: 'full' | 'incremental' }): Promise<{ cursors: Record<string, string | null> }> {
      const cursors = await initialiseSyncCursors(deps.db, input.adAccountId);
      await deps.db.adAccount.update({
        where: { id: input.adAccountId },
        data: input.kind === 'full' ? { lastFullSyncAt: new Date() } : { lastIncrementalSyncAt: new Date() },
      });
      return { cursors };
    },

    /** The stored incremental cursors of an account (ISO), null where no full sync ran yet. */
    async loadSyncCursors(input: { adAccountId: string }): Promise<Record<string, string | null>> {
      const rows = await deps.db.syncCursor.findMany({ where: { adAccountId: input.adAccountId } });
      const out: Record<string, string | null> = { campaigns: null, ad_sets: null, ads: null };
      for (const row of rows) out[row.entityType] = row.cursorTime.toISOString();
      return out;
    },

    /** Ad accounts of a company that are connected (ids only), for the company sync. */
    async listCompanyAdAccounts(input: { companyId: string }): Promise<{ adAccountIds: string[] }> {
      const rows = await deps.db.adAccount.findMany({
        where: { companyId: input.companyId, disconnectedAt: null, deletedAt: null },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      return { adAccountIds: rows.map((r) => r.id) };
    },
  };
}

/** Progress entry of an entity after a result (for the workflows' `progress` query). */
export type EntitySyncProgress = EntityProgress;
