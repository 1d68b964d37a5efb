import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundle, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities';

/** The workflows barrel the worker bundles (webpack + swc compile the TypeScript themselves). */
export const WORKFLOWS_PATH = require.resolve('../../workflows/index.ts');

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests bundle once per file); without it the worker bundles at start. */
  workflowBundle?: WorkflowBundle;
  /** @default 100 */
  maxConcurrentActivityTaskExecutions?: number;
  /** Seconds running activities get to finish on shutdown. @default 10 */
  shutdownGraceSeconds?: number;
}

/** Bundles the workflows once; pass the result to every worker of the process or test file. */
export async function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
}

/** Creates (does not run) a worker polling the project's task queue. */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const bundle = options.workflowBundle ?? (await bundleWorkflows());
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: bundle,
    activities: options.activities,
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    shutdownGraceTime: `${options.shutdownGraceSeconds ?? 10}s`,
  });
}

/** Connects the worker's native (Rust) connection. */
export function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}

// The bundler logs every module at info level; keep start-up logs to what an operator needs.
const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => console.warn(message, meta ?? ''),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
