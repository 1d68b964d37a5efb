import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import { MetaPermissionError, ValidationError } from '../src/errors';
import {
  effectiveStatusFilter, updatedSinceFilter, FilterOperator,
  AD_ACCOUNT_FIELDS, AD_CREATIVE_FIELDS, AD_RULE_FIELDS, AD_FIELDS, ADSET_FIELDS, CAMPAIGN_FIELDS, CUSTOM_AUDIENCE_FIELDS, INSTAGRAM_ACCOUNT_FIELDS,
  LEAD_FIELDS, PIXEL_FIELDS, PRODUCT_FEED_FIELDS, PRODUCT_SET_FIELDS,
  parseAd, parseAdAccount, parseAdCreative, parseAdRule, parseAdSet, parseBusiness, parseCampaign, parseCustomAudience, parseInstagramAccount,
  parseLead, parseLeadForm, parsePage, parsePixel, parseProduct, parseProductCatalog, parseProductFeed, parseProductSet,
  type AdCreativeRecord, type AdRuleRecord, type FilterEntity, type MetaClient, type MetaFilter,
} from '../src/meta';
import {
  linkAdAccountPages, replaceCarouselCards, softDeleteMissing, upsertEntityPage,
  type EntityTable, type SoftDeleteScope,
} from '../src/db/entity-upsert';
import { listConnectedAdAccounts, loadAdAccountFacts, saveAdAccountDetails, stampAdAccountSynced } from '../src/db/ad-account-repository';
import { listStatusChangedEntityIds } from '../src/db/change-history';
import { syncMetaRules } from '../src/db/rule-repository';
import { listCatalogIdsOfAdAccount, listLeadFormIdsOfAdAccount, listPageIdsOfAdAccount } from '../src/db/entity-repository';
import { initialiseSyncCursors, listSyncCursors } from '../src/db/sync-cursor-repository';
import type { EntityProgress } from '../domain/progress';
import type { ActivityDeps } from './activity-deps';
import { openAdAccount, type OpenedAdAccount } from './meta-access';
import { assertUsageBelowThreshold, runMetaActivity } from './meta-failures';
import { pageSizeRegistryFor } from './page-size-registry';

/** Every entity an account sync reads, in dependency order. */
const SYNC_ENTITIES = [
  'campaigns', 'adsets', 'ads', 'adcreatives', 'customaudiences', 'pixels', 'pages', 'leadforms', 'instagramaccounts', 'leads',
  'productcatalogs', 'productfeeds', 'products', 'productsets',
] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

/** Entities with `updated_time` filtering and change history (the incremental sync's scope). */
const INCREMENTAL_ENTITIES = ['campaigns', 'adsets', 'ads'] as const satisfies readonly SyncEntity[];
export type IncrementalEntity = (typeof INCREMENTAL_ENTITIES)[number];

/** Largest page size asked first; Meta's "reduce the amount of data" halves it (and we remember what worked). */
const INITIAL_PAGE_SIZE = 5000;
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

/** Input of {@link syncEdges}: several edges read one after the other by one activity. */
export interface SyncEdgesInput extends Omit<SyncEdgeInput, 'entity'> {
  /** Read in this order; each edge starts after the previous one completed. */
  entities: readonly SyncEntity[];
  /**
   * Soft-delete the rows of an entity that its completed read did not return, right after that
   * edge completed (full reads only). @default false
   */
  softDeleteMissing?: boolean;
}

/** Counts only: rows live in PostgreSQL, never in workflow history. */
export interface SyncEdgeResult {
  entity: SyncEntity;
  pages: number;
  rows: number;
  changes: number;
  /** Rows soft-deleted after the edge completed (when asked for). */
  softDeleted?: number;
}

/** Result of {@link syncEdges}: one entry per entity, in input order. */
export interface SyncEdgesResult {
  entities: SyncEdgeResult[];
}

/**
 * Heartbeat checkpoint: where a retried attempt resumes (which edge, which phase and page of it)
 * and what the finished edges counted, so the retry's result is the same as an unbroken run's.
 */
export interface EdgeCheckpoint {
  entityIndex: number;
  phase: number;
  after?: string;
  /** Page size the current edge works with; absent until its first page answered. */
  limit?: number;
  pages: number;
  rows: number;
  changes: number;
  done: SyncEdgeResult[];
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

const pagesOfAccount = (ctx: EdgeContext): Promise<string[]> => listPageIdsOfAdAccount(ctx.deps.db, ctx.account.id);
const formsOfAccount = (ctx: EdgeContext): Promise<string[]> => listLeadFormIdsOfAdAccount(ctx.deps.db, ctx.account.id);
const catalogsOfAccount = (ctx: EdgeContext): Promise<string[]> => listCatalogIdsOfAdAccount(ctx.deps.db, ctx.account.id);
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

/**
 * Mirrors the account's `adrules_library` (Meta's own automated rules, a page or two) into
 * `ad_rules` with origin `meta`, so agents see every rule that can change the account. A token
 * without access to the library (Meta answers a permission error) leaves the mirror as it was
 * rather than failing the account's sync over rules it cannot see.
 */
async function mirrorMetaRules(deps: ActivityDeps, client: MetaClient, account: OpenedAdAccount): Promise<void> {
  const rules: AdRuleRecord[] = [];
  try {
    for await (const page of client.walkEdge({ path: `${account.id}/adrules_library`, fields: AD_RULE_FIELDS, limit: 500 })) {
      for (const raw of page.data) rules.push(parseAdRule(raw, { adAccountId: account.id }));
    }
  } catch (error) {
    if (error instanceof MetaPermissionError) return;
    throw error;
  }
  await syncMetaRules(deps.db, { companyId: account.companyId, adAccountId: account.id, rules });
}

/** The Graph edges the entity sync reads, with the field list each asks for (benchmarks size pages from them). */
export function syncEdgeFields(): Array<{ entity: SyncEntity; edge: string; fields: readonly string[] }> {
  return SYNC_ENTITIES.map((entity) => ({ entity, edge: EDGES[entity].edge, fields: EDGES[entity].fields }));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
    // A parent whose status changed (seen by this sync, or changed by us since the last one)
    // changed its children's effective status without moving their `updated_time`: read them again.
    parentFilters.push({ entity: 'campaign', ids: await listStatusChangedEntityIds(deps.db, { adAccountId: account.id, entityType: 'campaign', since: input.syncStartedAt }) });
  }
  if (def.statusEntity === 'ad') {
    parentFilters.push({ entity: 'adset', ids: await listStatusChangedEntityIds(deps.db, { adAccountId: account.id, entityType: 'adset', since: input.syncStartedAt }) });
  }
  for (const { entity, ids } of parentFilters) {
    for (const part of chunk(ids, IDS_PER_FILTER)) {
      const parentFilter: MetaFilter = { field: `${entity}.id`, operator: FilterOperator.In, value: part };
      phases.push({ path: base, params: { filtering: [statusFilter, parentFilter] } });
    }
  }
  return phases;
}

/** The checkpoint a retried attempt resumes from (a fresh one on the first attempt). */
function resumeCheckpoint(details: unknown): EdgeCheckpoint {
  const saved = details as Partial<EdgeCheckpoint> | undefined;
  return {
    entityIndex: saved?.entityIndex ?? 0,
    phase: saved?.phase ?? 0,
    after: saved?.after,
    limit: saved?.limit,
    pages: saved?.pages ?? 0,
    rows: saved?.rows ?? 0,
    changes: saved?.changes ?? 0,
    done: saved?.done ?? [],
  };
}

/** Activities that read Meta objects into PostgreSQL. */
export function createEntitySyncActivities(deps: ActivityDeps) {
  const pageSizes = pageSizeRegistryFor(deps.db, { initial: INITIAL_PAGE_SIZE });

  async function readEdges(input: SyncEdgesInput): Promise<SyncEdgesResult> {
    for (const entity of input.entities) {
      if (!EDGES[entity]) throw new ValidationError(`Unknown sync entity "${String(entity)}"`);
    }
    if (input.softDeleteMissing && input.mode !== 'full') throw new ValidationError('Only a full read may soft-delete what it did not see');
    return runMetaActivity(deps, input.adAccountId, async () => {
      const { account, client } = await openAdAccount(deps, input.adAccountId);
      if (!account.currency) throw new ValidationError(`Ad account ${account.id} has no currency yet: sync its details first`);
      const withCurrency = { ...account, currency: account.currency };
      const info = activityInfo();
      const cp = resumeCheckpoint(info.heartbeatDetails);
      for (; cp.entityIndex < input.entities.length; cp.entityIndex++) {
        const entity = input.entities[cp.entityIndex]!;
        const def = EDGES[entity];
        const sizeKey = { edge: def.edge, fields: def.fields };
        const phases = await phasesFor(deps, account, def, { ...input, entity });
        const history = def.statusEntity
          ? { companyId: account.companyId, adAccountId: account.id, source: 'sync' as const, workflowId: info.workflowExecution?.workflowId }
          : undefined;
        for (; cp.phase < phases.length; cp.phase++, cp.after = undefined) {
          const phase = phases[cp.phase]!;
          for (;;) {
            // The edge's first request: take the learned size, or probe it while other accounts wait.
            const lease = cp.limit === undefined ? await pageSizes.acquire(sizeKey) : undefined;
            let page: Awaited<ReturnType<typeof client.getEdgePage<unknown>>>;
            try {
              page = await client.getEdgePage<unknown>({ path: phase.path, fields: def.fields, params: phase.params, limit: cp.limit ?? lease!.limit, after: cp.after });
              await pageSizes.learned(sizeKey, page.limit);
            } finally {
              lease?.release();
            }
            cp.limit = page.limit;
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
        const result: SyncEdgeResult = { entity, pages: cp.pages, rows: cp.rows, changes: cp.changes };
        if (input.softDeleteMissing) {
          // The edge completed: what it did not return is gone on Meta (idempotent if a retry repeats it).
          const scope = def.softDeleteScope(account);
          result.softDeleted = scope ? await softDeleteMissing(deps.db, def.table, scope, new Date(input.syncStartedAt)) : 0;
        }
        cp.done.push(result);
        Object.assign(cp, { phase: 0, after: undefined, limit: undefined, pages: 0, rows: 0, changes: 0 });
        heartbeat({ ...cp, entityIndex: cp.entityIndex + 1 });
      }
      return { entities: cp.done };
    });
  }

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
          await upsertEntityPage(deps.db, 'business_managers', [business]);
        }
        await saveAdAccountDetails(deps.db, { adAccountId: input.adAccountId, details: record });
        await mirrorMetaRules(deps, client, account);
        assertUsageBelowThreshold(client, input.adAccountId);
        return { adAccountId: input.adAccountId, businessId: record.businessId, currency: record.currency };
      });
    },

    /**
     * Reads one edge page by page (see {@link syncEdges}). Returns counts only.
     */
    async syncEdge(input: SyncEdgeInput): Promise<SyncEdgeResult> {
      const { entity, ...rest } = input;
      const result = await readEdges({ ...rest, entities: [entity] });
      return result.entities[0]!;
    },

    /**
     * Reads several edges one after the other, each page by page with the largest page size that
     * works, writing each page with one statement and heartbeating `{entityIndex, phase, after,
     * pages, rows}` after the write; a retried attempt resumes at that edge and page. With
     * `softDeleteMissing`, an edge's missing rows are soft-deleted as soon as that edge completed.
     * Stops (retryable, with Meta's wait) when usage crosses the threshold. Returns counts only.
     */
    async syncEdges(input: SyncEdgesInput): Promise<SyncEdgesResult> {
      return readEdges(input);
    },

    /**
     * Soft-deletes (`deleted_at`) the entity's rows of this account that the completed full read
     * did not return. Call only after the edge's syncEdge completed.
     */
    async softDeleteMissing(input: { adAccountId: string; entity: SyncEntity; syncStartedAt: string }): Promise<{ entity: SyncEntity; softDeleted: number }> {
      const def = EDGES[input.entity];
      const row = await loadAdAccountFacts(deps.db, input.adAccountId);
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
      await stampAdAccountSynced(deps.db, { adAccountId: input.adAccountId, kind: input.kind });
      return { cursors };
    },

    /** The stored incremental cursors of an account (ISO), null where no full sync ran yet. */
    async loadSyncCursors(input: { adAccountId: string }): Promise<Record<string, string | null>> {
      const rows = await listSyncCursors(deps.db, input.adAccountId);
      const out: Record<string, string | null> = { campaigns: null, ad_sets: null, ads: null };
      for (const row of rows) out[row.entityType] = row.cursorTime.toISOString();
      return out;
    },

    /** Ad accounts of a company that are connected (ids, and names for the children's summaries), for the company sync. */
    async listCompanyAdAccounts(input: { companyId: string }): Promise<{ adAccountIds: string[]; names: Record<string, string> }> {
      const rows = await listConnectedAdAccounts(deps.db, { companyId: input.companyId });
      return { adAccountIds: rows.map((r) => r.id), names: Object.fromEntries(rows.flatMap((r) => (r.name ? [[r.id, r.name]] : []))) };
    },
  };
}
