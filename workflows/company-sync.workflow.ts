import {
  allHandlersFinished, ApplicationFailure, ChildWorkflowFailure, condition, proxyActivities, setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities';
import { WorkflowKind } from '../domain/vocabulary';
import { progressQuery, WorkUnit } from '../domain/progress';
import { METRICS_SYNC_DEFAULTS, type MetricsSyncSettings } from '../domain/contracts/metrics-sync';
import { COMPANY_SYNC_KINDS, type CompanySyncInput, type CompanySyncKind, type CompanySyncOutcome, type CompanySyncResult } from '../domain/contracts/company-sync';
import {
  startedByRequest, StartRequestRejection, startRequestUpdate, type CompanySyncAsk, type StartCoverage, type StartRequest, type StartRequestAnswer,
} from '../domain/contracts/start-request';
import { companySyncChildStart } from '../domain/starts/company-sync';
import { activitySummaries } from '../domain/workflow-summaries';
import { DATABASE_ACTIVITY } from './activity-policies';
import { ensureSearchAttributes, ProgressTracker } from './sync-progress';

const control = proxyActivities<Activities>(DATABASE_ACTIVITY);

const DEFAULT_MAX_PARALLEL = 4;

/**
 * Runs the requested syncs for every connected ad account of a company as child workflows with
 * the per-account deterministic ids, at most `maxParallel` accounts at once; an account's kinds run
 * in the given order. A failing child (e.g. a token that needs re-authorisation) does not fail
 * the others; the result lists every child's outcome. Id: `meta-company-sync:<companyId>`.
 *
 * Start requests (the `startRequest` update, Update-With-Start from the operations layer) that
 * reach the running run hand it what they ask beyond its own work: kinds it does not run yet are
 * added to every account (after the account's own kinds; an account already done runs them
 * again in a lane of its own), accounts connected since it listed them join with every kind, and
 * a higher `maxParallel` opens more lanes. The answer says what the run covers. Once everything is
 * done the run refuses requests (`StartRequestClosing`) and the caller starts a new run.
 */
export async function companySyncWorkflow(input: CompanySyncInput): Promise<CompanySyncResult> {
  const { companyId } = input;
  if (!input.kinds?.length) throw ApplicationFailure.nonRetryable('kinds must name at least one sync kind', 'ValidationError');
  ensureSearchAttributes({ companyId, kind: WorkflowKind.CompanySync });
  const progress = new ProgressTracker(WorkflowKind.CompanySync, {}, { children: 0, completed: 0, failed: 0 });
  setHandler(progressQuery, () => progress.state);

  /** What is left to do per account: its kinds in order, the next one to start, where it is. */
  const work = new Map<string, AccountWork>();
  /** Accounts waiting for a lane, in order. */
  const queue: string[] = [];
  const kinds: CompanySyncKind[] = [...input.kinds];
  let names: Record<string, string> = {};
  let listed = false;
  let closing = false;
  let maxParallel = Math.max(1, input.maxParallel ?? DEFAULT_MAX_PARALLEL);
  const lanes = new Set<Promise<void>>();

  const outcomes: CompanySyncOutcome[] = [];
  /** Child syncs finished of those planned: an account stopped by a failure runs none of its later kinds. */
  const worked = (): void => {
    let total = 0;
    for (const w of work.values()) total += w.state === 'stopped' ? w.next : w.kinds.length;
    progress.work(outcomes.length, total, WorkUnit.Syncs);
  };
  const phase = (): void => {
    worked();
    progress.phase(`syncing ${work.size} ad accounts, ${maxParallel} at once`);
  };
  const enqueue = (adAccountId: string): void => {
    work.get(adAccountId)!.state = 'queued';
    queue.push(adAccountId);
  };
  const coverage = (): StartCoverage => {
    const accounts = [...work].filter(([, w]) => w.state !== 'stopped').map(([id]) => id);
    const stopped = [...work].filter(([, w]) => w.state === 'stopped').map(([id]) => id);
    return {
      kind: 'company',
      kinds: [...kinds],
      accounts,
      maxParallel,
      summary:
        `${kinds.join(', ')} for ${accounts.length} ad account(s), ${maxParallel} at once` +
        (stopped.length ? `; ${stopped.join(', ')} stopped after a failed sync and take(s) no more kinds (see the run's outcomes)` : ''),
    };
  };

  setHandler(
    startRequestUpdate,
    async (request: StartRequest): Promise<StartRequestAnswer> => {
      await condition(() => listed);
      const attached = !startedByRequest(workflowInfo().memo, request.requestId);
      const ask = request.ask as CompanySyncAsk;
      if (attached) {
        const added = [...new Set(ask.kinds)].filter((kind) => !kinds.includes(kind));
        kinds.push(...added);
        for (const [adAccountId, w] of work) {
          if (w.state === 'stopped' || added.length === 0) continue;
          w.kinds.push(...added);
          if (w.state === 'idle') enqueue(adAccountId);
        }
        // Accounts connected since the run listed them join with every kind.
        const now = await control.listCompanyAdAccounts.executeWithOptions({ summary: activitySummaries.listCompanyAccounts() }, [{ companyId }]);
        names = { ...names, ...(now.names ?? {}) };
        for (const adAccountId of now.adAccountIds) {
          if (work.has(adAccountId)) continue;
          work.set(adAccountId, { kinds: [...kinds], next: 0, state: 'idle' });
          enqueue(adAccountId);
        }
        if (ask.maxParallel !== undefined && ask.maxParallel > maxParallel) maxParallel = ask.maxParallel;
        phase();
        fillLanes();
      }
      return { attached, covers: coverage() };
    },
    {
      validator: (request: StartRequest): void => {
        if (closing) throw ApplicationFailure.create({ type: StartRequestRejection.Closing, message: 'This company sync is finishing and takes no more work', nonRetryable: true });
        const ask = request.ask;
        const problems: string[] = [];
        if (ask?.kind !== 'company') problems.push(`a ${String(ask?.kind)} request cannot reach a company sync`);
        else {
          if (!Array.isArray(ask.kinds) || ask.kinds.length === 0) problems.push('kinds must name at least one sync kind');
          for (const kind of Array.isArray(ask.kinds) ? ask.kinds : []) if (!COMPANY_SYNC_KINDS.includes(kind)) problems.push(`unknown sync kind "${String(kind)}"`);
          if (ask.maxParallel !== undefined && (!Number.isInteger(ask.maxParallel) || ask.maxParallel < 1)) problems.push('maxParallel must be a positive integer');
        }
        if (problems.length > 0) throw ApplicationFailure.create({ type: StartRequestRejection.Invalid, message: problems.join('; '), nonRetryable: true });
      },
    },
  );

  const listing = await control.listCompanyAdAccounts.executeWithOptions({ summary: activitySummaries.listCompanyAccounts() }, [{ companyId }]);
  // `names` is absent in the activity results recorded before it was added.
  names = listing.names ?? {};
  for (const adAccountId of listing.adAccountIds) {
    work.set(adAccountId, { kinds: [...input.kinds], next: 0, state: 'idle' });
    enqueue(adAccountId);
  }
  listed = true;
  // Runs started before the company sync carried the metrics settings: the built-in defaults, as then.
  const metrics: MetricsSyncSettings = input.metrics ?? { lookbackDays: METRICS_SYNC_DEFAULTS.lookbackDays, attributionWindows: METRICS_SYNC_DEFAULTS.attributionWindows };
  phase();

  const runAccount = async (adAccountId: string): Promise<void> => {
    const w = work.get(adAccountId)!;
    w.state = 'running';
    // Kinds a request adds while the account runs are taken in this same loop.
    while (w.next < w.kinds.length) {
      const kind = w.kinds[w.next++]!;
      // The company's name comes from this run's memo (set by its starter): the children name it too.
      const child = companySyncChildStart(kind, { companyId, adAccountId, accountName: names[adAccountId], companyName: memoText(workflowInfo().memo, 'companyName') }, metrics);
      progress.count('children', 1);
      let outcome: CompanySyncOutcome;
      try {
        const handle = await startChild(child.workflowType, {
          workflowId: child.workflowId,
          args: child.args,
          typedSearchAttributes: child.searchAttributes,
          memo: child.memo,
          staticSummary: child.staticSummary,
          staticDetails: child.staticDetails,
        });
        await handle.result();
        outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'completed' };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'already-running' };
        } else if (error instanceof ChildWorkflowFailure) {
          const cause = error.cause;
          outcome = { adAccountId, kind, workflowId: child.workflowId, status: 'failed', errorType: cause instanceof ApplicationFailure ? cause.type ?? undefined : cause?.name };
        } else {
          throw error;
        }
      }
      outcomes.push(outcome);
      progress.count(outcome.status === 'failed' ? 'failed' : 'completed', 1);
      progress.entity(`${adAccountId}:${kind}`, { pages: 0, rows: 0, done: true });
      // A failed full sync (e.g. re-authorisation needed) makes the account's later kinds pointless.
      if (outcome.status === 'failed') {
        w.state = 'stopped';
        worked();
        return;
      }
      worked();
    }
    w.state = 'idle';
  };

  const lane = async (): Promise<void> => {
    while (queue.length > 0) await runAccount(queue.shift()!);
  };
  /** Opens lanes up to `maxParallel` while accounts wait; a lane closes when the queue is empty. */
  function fillLanes(): void {
    while (lanes.size < maxParallel && queue.length > 0) {
      const p: Promise<void> = lane().then(() => void lanes.delete(p));
      // Awaited below (a failing lane fails the run); this only keeps it from counting as unhandled meanwhile.
      p.catch(() => undefined);
      lanes.add(p);
    }
  }

  for (;;) {
    fillLanes();
    while (lanes.size > 0) await Promise.all([...lanes]);
    // A start request may be adding work: let it finish, then run what it added (queued, or
    // already in a lane it opened).
    await condition(allHandlersFinished);
    if (queue.length > 0 || lanes.size > 0) continue;
    closing = true;
    break;
  }
  progress.phase('done');
  return { companyId, outcomes };
}

/** A string field of a memo, if it is one. */
function memoText(memo: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = memo?.[key];
  return typeof value === 'string' ? value : undefined;
}

interface AccountWork {
  kinds: CompanySyncKind[];
  /** Index in `kinds` of the next kind to start. */
  next: number;
  state: 'queued' | 'running' | 'idle' | 'stopped';
}
