/**
 * The Graph API simulator in a process of its own for benchmarks, as production sees Meta: its
 * CPU and memory (generated world, insights caches) are not the worker's. `state` is a snapshot
 * of the object graph's shape (`GET /__sim/graph`) for paging lower bounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SimulatorLimits } from '../src/simulator/simulator-state';
import { freePort } from '../test/support/infra';

const ROOT = path.resolve(__dirname, '..');

export interface SimulatorProcessOptions {
  profile: string;
  seed: number;
  latencyMs: number;
  tokens: string[];
}

/** An ad account as the benchmark needs it. */
export interface SimulatorAccount {
  id: string;
  accountId: string;
  name: string;
  timezone: string;
  currency: string;
}

/** The object graph's shape: nodes by id, edge sizes, limits, accounts. */
export interface SimulatorGraphSnapshot {
  limits: SimulatorLimits;
  accounts: Map<string, SimulatorAccount>;
  nodes: Map<string, { id: string; type: string }>;
  /** Only `length` is meaningful: the ids stay in the simulator. */
  edgeIds(parentId: string, edge: string): { length: number };
}

export interface SimulatorProcess {
  url: string;
  pid: number;
  state: SimulatorGraphSnapshot;
  /** Peak resident memory of the simulator's process tree so far (sum of each process's VmHWM). */
  peakRssBytes(): number;
  close(): Promise<void>;
}

/** Spawns `src/main/simulator.ts` on a free port and waits for its "listening" line. */
export async function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const port = await freePort();
  const args = [
    path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/main/simulator.ts'),
    '--profile', options.profile, '--seed', String(options.seed), '--port', String(port), '--latency-ms', String(options.latencyMs),
    ...options.tokens.flatMap((t) => ['--token', t]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before listening: ${stderr}`)));
    child.once('error', reject);
  });
  child.removeAllListeners('exit');
  const graph = (await (await fetch(`${url}/__sim/graph`)).json()) as {
    limits: SimulatorLimits;
    accounts: SimulatorAccount[];
    nodes: Array<[string, string]>;
    edges: Array<[string, string, number]>;
  };
  const edgeSizes = new Map<string, number>();
  for (const [parentId, edge, size] of graph.edges) edgeSizes.set(`${parentId}/${edge}`, size);
  const state: SimulatorGraphSnapshot = {
    limits: graph.limits,
    accounts: new Map(graph.accounts.map((a) => [a.id, a])),
    nodes: new Map(graph.nodes.map(([id, type]) => [id, { id, type }])),
    edgeIds: (parentId, edge) => ({ length: edgeSizes.get(`${parentId}/${edge}`) ?? 0 }),
  };
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, treeStatus(child.pid as number, 'VmHWM'));
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    url,
    pid: child.pid as number,
    state,
    peakRssBytes() {
      sample();
      return peak;
    },
    close: async () => {
      clearInterval(timer);
      await stop(child);
    },
  };
}

/** Sum of a /proc status field (kB lines such as VmHWM, VmRSS) over a process and its descendants, in bytes. */
function treeStatus(pid: number, field: string): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      if (m) total += Number(m[1]) * 1024;
      for (const task of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        if (children) for (const c of children.split(/\s+/)) stack.push(Number(c));
      }
    } catch {
      // gone, or not Linux
    }
  }
  return total;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
