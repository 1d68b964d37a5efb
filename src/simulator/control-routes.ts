/**
 * The control API under `/__sim/` (no auth, not versioned, not counted in stats): faults,
 * reset, clock, late-attribution revisions, stats, limits, ground truth and the write log.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { audienceTruth } from './audience-lists';
import { parseFaultConfig } from './faults';
import { bodyJson } from './request-body';
import type { SimulatorState } from './simulator-state';
import { buildTruth, buildTruthRows } from './truth';
import { WriteKinds, type WriteKind, type WriteQuery } from './write-log';

/** Parse the filters of `GET /__sim/writes`; a string is the error message. */
function writeQuery(q: Record<string, string | undefined>): WriteQuery | string {
  const out: WriteQuery = {};
  if (q.objectId) out.objectIds = q.objectId.split(',').map((s) => s.trim()).filter(Boolean);
  if (q.adAccountId) out.adAccountId = q.adAccountId;
  if (q.since !== undefined) {
    const since = Number(q.since);
    if (!Number.isInteger(since) || since < 0) return 'since must be a non-negative integer (a seq)';
    out.since = since;
  }
  if (q.kind !== undefined) {
    if (!(WriteKinds as readonly string[]).includes(q.kind)) return `kind must be one of ${WriteKinds.join(', ')}`;
    out.kind = q.kind as WriteKind;
  }
  if (q.field) out.field = q.field;
  return out;
}

function bad(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message });
}

function readJson(body: unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: bodyJson(body) };
  } catch {
    return { ok: false };
  }
}

/** Register `/__sim/*` routes. */
export function registerControlRoutes(app: FastifyInstance, state: SimulatorState): void {
  app.get('/__sim/config', async () => ({
    ...state.limits,
    quota: state.quota.config,
    profile: state.profile.name,
    seed: state.seed,
    tokens: state.tokens.size,
    latencyMs: state.latencyMs,
    adAccounts: [...state.accounts.keys()],
    now: new Date(state.now()).toISOString(),
  }));

  app.post('/__sim/faults', async (request, reply) => {
    const body = readJson(request.body);
    if (!body.ok) return bad(reply, 'body must be JSON');
    const config = parseFaultConfig(body.value);
    if (typeof config === 'string') return bad(reply, config);
    state.faults.set(config, state.now());
    state.quota.clearForcedBlocks();
    const now = Date.now();
    if (config.throttleBlockSeconds) state.quota.blockAll(now + config.throttleBlockSeconds * 1000);
    for (const [act, seconds] of Object.entries(config.throttleAccounts ?? {})) {
      const account = state.accounts.get(act) ?? state.accountsByBareId.get(act);
      if (!account) return bad(reply, `unknown ad account ${act}`);
      state.quota.blockAccount(account.accountId, now + seconds * 1000);
    }
    return { ok: true, faults: config };
  });
  app.get('/__sim/faults', async () => state.faults.config);

  app.post('/__sim/reset', async () => {
    state.reset();
    return { ok: true };
  });

  app.get('/__sim/clock', async () => ({ now: new Date(state.now()).toISOString() }));
  app.post('/__sim/clock', async (request, reply) => {
    const body = readJson(request.body);
    const now = body.ok && body.value && typeof body.value === 'object' ? (body.value as Record<string, unknown>).now : undefined;
    const ms = typeof now === 'string' || typeof now === 'number' ? new Date(now).getTime() : Number.NaN;
    if (Number.isNaN(ms)) return bad(reply, 'body must be {"now": "<ISO date>"}');
    state.setClock(ms);
    return { now: new Date(state.now()).toISOString() };
  });

  app.post('/__sim/revise', async (request, reply) => {
    const body = readJson(request.body);
    if (!body.ok) return bad(reply, 'body must be JSON');
    const b = (body.value ?? {}) as Record<string, unknown>;
    const days = b.days;
    if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 28)) {
      return bad(reply, 'days must be an integer between 0 and 28');
    }
    const id = b.adAccountId;
    const accounts = [...state.accounts.values()].filter((a) => id === undefined || a.id === id || a.accountId === id);
    if (!accounts.length) return bad(reply, `unknown ad account ${String(id)}`);
    for (const a of accounts) {
      a.revision++;
      if (typeof days === 'number') a.unsettledDays = days;
    }
    state.version++;
    return { accounts: accounts.map((a) => ({ id: a.id, revision: a.revision, unsettledDays: a.unsettledDays })) };
  });

  /**
   * The object graph's shape for tools in another process (benchmarks' paging lower bounds):
   * every node's id and type, and the size of every edge list, not the objects themselves.
   */
  app.get('/__sim/graph', async () => {
    const nodes: Array<[string, string]> = [];
    for (const node of state.nodes.values()) nodes.push([node.id, node.type]);
    const edges: Array<[string, string, number]> = [];
    for (const [parentId, byEdge] of state.edges) for (const [edge, ids] of byEdge) edges.push([parentId, edge, ids.length]);
    return {
      limits: state.limits,
      accounts: [...state.accounts.values()].map((a) => ({ id: a.id, accountId: a.accountId, name: a.name, timezone: a.timezone, currency: a.currency })),
      nodes,
      edges,
    };
  });

  /**
   * Applied writes in order: `?objectId=a,b`, `?adAccountId=`, `?since=<seq>`, `?kind=`,
   * `?field=` filter; `?summary=true` answers counts per object, kind and field instead.
   */
  app.get('/__sim/writes', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const query = writeQuery(q);
    if (typeof query === 'string') return bad(reply, query);
    if (q.summary === 'true' || q.summary === '1') return state.writes.summary(query);
    const writes = state.writes.query(query);
    return { total: state.writes.lastSeq, count: writes.length, writes };
  });

  app.get('/__sim/stats', async () => state.stats);
  app.post('/__sim/stats/reset', async () => {
    state.stats = { totalCalls: 0, byEndpoint: {}, byAccount: {} };
    return { ok: true };
  });

  // A customer-list audience as the simulator holds it: members (distinct rows), matched, sessions.
  app.get('/__sim/audiences/:id', async (request, reply) => {
    const truth = audienceTruth(state, (request.params as { id: string }).id);
    if (!truth) return reply.code(404).send({ error: 'unknown customer-list audience' });
    return truth;
  });

  app.get('/__sim/truth', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const truth = buildTruth(state, q.adAccountId);
    if (q.adAccountId && !truth.adAccounts.length) return bad(reply, `unknown ad account ${q.adAccountId}`);
    if (q.adAccountId && (q.level || q.grain)) {
      const level = q.level ?? 'ad';
      const grain = q.grain ?? 'daily';
      if (!['ad', 'adset', 'campaign', 'account'].includes(level)) return bad(reply, 'level must be ad, adset, campaign or account');
      if (grain !== 'daily' && grain !== 'hourly') return bad(reply, 'grain must be daily or hourly');
      const account = state.accounts.get(truth.adAccounts[0]?.id ?? '');
      if (!account) return bad(reply, 'unknown ad account');
      return { ...truth, rows: buildTruthRows(state, account, level as 'ad', grain) };
    }
    return truth;
  });
}
