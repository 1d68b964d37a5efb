/**
 * Report admission: concurrent identical reports share one run, at most the configured number of
 * distinct ones run at once, the rest start in order as runs finish, and a failed run frees its
 * slot and fails only the callers that shared it.
 */
import { admitReport } from '../../src/operations/report-admission';
import type { ServiceContext } from '../../src/operations/service-context';

const ctxWith = (maxConcurrent: number) => ({ config: { reports: { maxConcurrent } } }) as unknown as ServiceContext;

function gate<T>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { promise, open, fail };
}

test('identical reports in flight share one run; a later one runs again', async () => {
  const ctx = ctxWith(2);
  let runs = 0;
  const g = gate<string>();
  const run = () => (runs++, g.promise);
  const answers = Promise.all([admitReport(ctx, 'k', run), admitReport(ctx, 'k', run), admitReport(ctx, 'k', run)]);
  g.open('rows');
  expect(await answers).toEqual(['rows', 'rows', 'rows']);
  expect(runs).toBe(1);
  await admitReport(ctx, 'k', async () => (runs++, 'again'));
  expect(runs).toBe(2);
});

test('at most maxConcurrent distinct runs at once; the rest start in order as slots free', async () => {
  const ctx = ctxWith(2);
  const started: string[] = [];
  const gates = new Map(['a', 'b', 'c', 'd'].map((k) => [k, gate<string>()]));
  const all = ['a', 'b', 'c', 'd'].map((k) => admitReport(ctx, k, () => (started.push(k), gates.get(k)!.promise)));
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual(['a', 'b']);
  gates.get('b')!.open('b');
  await all[1];
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual(['a', 'b', 'c']);
  // A failure frees its slot too, and fails only its own callers.
  gates.get('a')!.fail(new Error('statement failed'));
  await expect(all[0]).rejects.toThrow('statement failed');
  await new Promise((resolve) => setImmediate(resolve));
  expect(started).toEqual(['a', 'b', 'c', 'd']);
  gates.get('c')!.open('c');
  gates.get('d')!.open('d');
  expect(await Promise.all(all.slice(1))).toEqual(['b', 'c', 'd']);
});
