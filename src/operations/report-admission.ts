/**
 * Admission of report statements, per service context: identical reports asked for while one is
 * running share its answer (fifty clients asking for the same LAST_30D report make one statement,
 * not fifty), and at most `config.reports.maxConcurrent` distinct ones run at once; the rest wait
 * here, in order, rather than on the database pool, whose wait times out and whose connections
 * every other route needs too. Nothing is cached past the statement: a report asked after one
 * finished reads the tables again.
 */
import type { ServiceContext } from './service-context';

interface Admission {
  running: number;
  waiting: Array<() => void>;
  inFlight: Map<string, Promise<unknown>>;
}

const admissions = new WeakMap<ServiceContext, Admission>();

function admissionOf(ctx: ServiceContext): Admission {
  let admission = admissions.get(ctx);
  if (!admission) admissions.set(ctx, (admission = { running: 0, waiting: [], inFlight: new Map() }));
  return admission;
}

async function slot(ctx: ServiceContext, admission: Admission): Promise<void> {
  if (admission.running < ctx.config.reports.maxConcurrent) {
    admission.running++;
    return;
  }
  // The releasing run hands its slot over: `running` stays counted for the next in line.
  await new Promise<void>((resolve) => admission.waiting.push(resolve));
}

function release(admission: Admission): void {
  const next = admission.waiting.shift();
  if (next) next();
  else admission.running--;
}

/** Runs `run` under the context's report admission; a run with the same `key` in flight is shared. */
export function admitReport<T>(ctx: ServiceContext, key: string, run: () => Promise<T>): Promise<T> {
  const admission = admissionOf(ctx);
  const existing = admission.inFlight.get(key);
  if (existing) return existing as Promise<T>;
  const pending = (async () => {
    await slot(ctx, admission);
    try {
      return await run();
    } finally {
      release(admission);
    }
  })().finally(() => admission.inFlight.delete(key));
  admission.inFlight.set(key, pending);
  return pending;
}
