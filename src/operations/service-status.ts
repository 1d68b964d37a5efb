import { pingDatabase } from '../db/database-health';
import type { ServiceContext } from './service-context';

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
  checkedAt: string;
}

export interface ServiceInfo {
  name: string;
  version: string;
  mode: 'demo' | 'live';
  metaGraphUrl: string;
  metaApiVersion: string;
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string | null };
  database: 'embedded' | 'external';
  startedAt: string;
}

const CHECK_TIMEOUT_MS = 3000;
/** A worker counts as polling if it asked for a task this recently (long polls last ~60 s). */
const POLLER_FRESH_MS = 90_000;

/** Static facts about this deployment (no secrets: the Graph URL and addresses only). */
export function getServiceInfo(ctx: ServiceContext): ServiceInfo {
  return {
    name: 'meta-ads-orchestrator',
    version: ctx.config.version,
    mode: ctx.config.meta.mode,
    metaGraphUrl: ctx.config.meta.graphUrl,
    metaApiVersion: ctx.config.meta.apiVersion,
    temporal: {
      address: ctx.runtime.temporalAddress,
      namespace: ctx.config.temporal.namespace,
      taskQueue: ctx.config.temporal.taskQueue,
      uiUrl: ctx.runtime.temporalUiUrl ?? null,
    },
    database: ctx.runtime.databaseMode,
    startedAt: ctx.runtime.startedAt.toISOString(),
  };
}

/** Real checks of every dependency, run in parallel, each bounded by a timeout. */
export async function getServiceStatus(ctx: ServiceContext): Promise<ServiceStatus> {
  const [database, temporal, worker] = await Promise.all([
    timed(() => pingDatabase(ctx.db)),
    timed(async () => {
      await ctx.temporal.workflowService.describeNamespace({ namespace: ctx.config.temporal.namespace });
    }),
    timed(async () => {
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
  return { ok: failing.length === 0, failing, components, checkedAt: new Date().toISOString() };
}

async function timed(check: () => Promise<Record<string, unknown> | void>): Promise<ComponentStatus> {
  const started = Date.now();
  try {
    const details = await withTimeout(check(), CHECK_TIMEOUT_MS);
    return { ok: true, latencyMs: Date.now() - started, ...(details ? { details } : {}) };
  } catch (error) {
    return { ok: false, latencyMs: Date.now() - started, error: describeFailure(error) };
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

/** First line of the error, without connection strings (they may carry passwords). */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].replace(/postgres(ql)?:\/\/\S+/g, '<database-url>').slice(0, 300);
}
