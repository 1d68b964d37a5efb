import { classifyDatabaseFailure, describeDatabaseFailure } from '../db/database-errors';
import { webhookCounters, type WebhookCounters } from './meta-webhooks';
import { pingDatabase } from '../db/database-health';
import type { Actor } from './actor';
import { attentionItemsOfCompany, type AttentionItemView } from './attention-items';
import type { ServiceContext } from './service-context';
import { isTemporalUnavailable, temporalUnavailable } from './temporal-errors';

export type ComponentName = 'database' | 'temporal' | 'worker';

export interface ComponentStatus {
  ok: boolean;
  latencyMs: number;
  /** Why it is down, in words an operator can act on. */
  error?: string;
  details?: Record<string, unknown>;
}

export interface ServiceStatus {
  ok: boolean;
  /** Names of the parts that are down. */
  failing: ComponentName[];
  components: Record<ComponentName, ComponentStatus>;
  /** What this process did with Meta's webhook notifications since it started (counts only). */
  webhooks: WebhookCounters;
  checkedAt: string;
  /**
   * The caller's company's attention items (tokens rejected, a permission withdrawn, expiring
   * within 14 days): only for a caller with a valid API token, and only while the database answers.
   */
  attention?: AttentionItemView[];
}

export interface ServiceInfo {
  name: string;
  version: string;
  mode: 'demo' | 'live';
  metaApiVersion: string;
  database: 'embedded' | 'external';
  startedAt: string;
  /** Internal addresses: shown to an authenticated caller only. */
  metaGraphUrl?: string;
  temporal?: { address: string; namespace: string; taskQueue: string; uiUrl: string | null };
}

const CHECK_TIMEOUT_MS = 3000;
/** A worker counts as polling if it asked for a task this recently (long polls last ~60 s). */
const POLLER_FRESH_MS = 90_000;

/**
 * Static facts about this deployment. Anyone may ask what runs here; where its parts listen
 * (Temporal's address and UI, the Graph URL: internal addresses an attacker would look for) is
 * shown only to a caller with a valid API token (`actor`).
 */
export function getServiceInfo(ctx: ServiceContext, actor?: Actor): ServiceInfo {
  const info: ServiceInfo = {
    name: 'meta-ads-orchestrator',
    version: ctx.config.version,
    mode: ctx.config.meta.mode,
    metaApiVersion: ctx.config.meta.apiVersion,
    database: ctx.runtime.databaseMode,
    startedAt: ctx.runtime.startedAt.toISOString(),
  };
  if (!actor) return info;
  return {
    ...info,
    metaGraphUrl: ctx.config.meta.graphUrl,
    temporal: {
      address: ctx.runtime.temporalAddress,
      namespace: ctx.config.temporal.namespace,
      taskQueue: ctx.config.temporal.taskQueue,
      uiUrl: ctx.runtime.temporalUiUrl ?? null,
    },
  };
}

/** Real checks of every dependency, run in parallel, each bounded by a timeout; with an actor, its company's attention items too. */
export async function getServiceStatus(ctx: ServiceContext, actor?: Actor): Promise<ServiceStatus> {
  const [database, temporal, worker] = await Promise.all([
    timed('database', () => pingDatabase(ctx.db)),
    timed('temporal', async () => {
      await ctx.temporal.workflowService.describeNamespace({ namespace: ctx.config.temporal.namespace });
    }),
    timed('worker', async () => {
      const response = await ctx.temporal.workflowService.describeTaskQueue({
        namespace: ctx.config.temporal.namespace,
        taskQueue: { name: ctx.config.temporal.taskQueue, kind: 1 },
        taskQueueType: 1,
      });
      const now = Date.now();
      const fresh = (response.pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_FRESH_MS;
      });
      if (fresh.length === 0) throw new Error(`no worker is polling task queue "${ctx.config.temporal.taskQueue}"`);
      return { pollers: fresh.length };
    }),
  ]);
  // Without Temporal we cannot know about workers: report the root cause, not a second failure.
  if (!temporal.ok && !worker.ok) worker.error = 'unknown: Temporal is unreachable';
  const components = { database, temporal, worker };
  const failing = (Object.keys(components) as ComponentName[]).filter((name) => !components[name].ok);
  const status: ServiceStatus = { ok: failing.length === 0, failing, components, webhooks: webhookCounters(), checkedAt: new Date().toISOString() };
  if (actor && database.ok) {
    // The status answers even when this read fails: the components above already say why.
    const attention = await withTimeout(attentionItemsOfCompany(ctx, actor.companyId), CHECK_TIMEOUT_MS).catch(() => undefined);
    if (attention) status.attention = attention;
  }
  return status;
}

async function timed(component: ComponentName, check: () => Promise<Record<string, unknown> | void>): Promise<ComponentStatus> {
  const started = Date.now();
  try {
    const details = await withTimeout(check(), CHECK_TIMEOUT_MS);
    return { ok: true, latencyMs: Date.now() - started, ...(details ? { details } : {}) };
  } catch (error) {
    return { ok: false, latencyMs: Date.now() - started, error: describeFailure(component, error) };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Why a component is down, in words that name it and never an address (/status is public):
 * the classified reason for a known failure, else the error's first non-empty line (Prisma's
 * messages start with a blank line) without URLs or host:port pairs.
 */
function describeFailure(component: ComponentName, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/^no answer within \d+ ms$/.test(message)) return `${component === 'database' ? 'PostgreSQL' : 'Temporal'} gave ${message}`;
  const database = component === 'database' ? classifyDatabaseFailure(error) : undefined;
  if (database) return describeDatabaseFailure(database);
  if (component === 'temporal' && isTemporalUnavailable(error)) return temporalUnavailable(error).message.replace(/; try again shortly$/, '');
  const line = message.split('\n').map((part) => part.trim()).find((part) => part.length > 0) ?? `${component} check failed (${error instanceof Error ? error.name : typeof error})`;
  return line
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\b(\d{1,3}(\.\d{1,3}){3}|localhost|\[[0-9a-f:]+\])(:\d+)?\b/gi, '<address>')
    .slice(0, 300);
}
