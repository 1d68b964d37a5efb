/**
 * The simulator's Fastify app and server. `buildSimulatorApp` builds the app (tests may use
 * `app.inject()`), `startSimulator` listens. Graph routes answer any `/vNN.0/...` path like
 * graph.facebook.com; `/__sim/*` is the control API.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { registerControlRoutes } from './control-routes';
import { deprecatedVersion, unknownVersion, errorEnvelope } from './graph-errors';
import { handleGraph } from './graph-routes';
import type { SimOAuthApp } from './oauth-model';
import { registerOAuthRoutes } from './oauth-routes';
import { registerLeadWebhookRoutes, type SimWebhookOptions } from './lead-webhooks';
import type { BuiltInProfileName, ProfileSpec } from './profiles';
import type { QuotaConfig } from './quota-model';
import { bodyParams, type RawBody } from './request-body';
import { SimulatorState, type SimulatorLimits } from './simulator-state';

/** Options of the simulator. */
export interface SimulatorOptions {
  /** @default 'small' */
  profile?: BuiltInProfileName | ProfileSpec;
  /** @default 42 */
  seed?: number;
  /** @default ['sim-token'] */
  tokens?: string[];
  /** @default 4100; 0 = random free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Simulated "now" at start (ISO string or Date); the clock then ticks with real time. @default real clock */
  now?: Date | string;
  /** Per-request latency in ms applied to Graph routes (not /__sim). @default 0 */
  latencyMs?: number;
  /** Quota model knobs. @default standard tier */
  quota?: Partial<QuotaConfig>;
  /** Paging, batch, version and async-job knobs (see {@link SimulatorLimits}). */
  limits?: Partial<SimulatorLimits>;
  /** Meta apps Facebook Login accepts. @default the demo app (domain/demo-meta-app.ts) */
  oauthApps?: SimOAuthApp[];
  /** Webhooks: the callback URL new leads are notified to, signed with the app secret, retried as Meta does. */
  webhooks?: SimWebhookOptions;
}

/** A started simulator. */
export interface RunningSimulator {
  url: string;
  port: number;
  state: SimulatorState;
  close(): Promise<void>;
}

const VERSION_RE = /^\/v(\d+)\.(\d+)(?=\/|$)/;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function send(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string>, version: string): FastifyReply {
  return reply
    .code(status)
    .headers({ ...headers, 'facebook-api-version': version, 'content-type': 'application/json; charset=UTF-8' })
    .send(JSON.stringify(body));
}

/** Build the Fastify app and its state without listening. */
export function buildSimulatorApp(options: SimulatorOptions = {}): { app: FastifyInstance; state: SimulatorState } {
  const state = new SimulatorState({
    profile: options.profile, seed: options.seed, tokens: options.tokens, now: options.now,
    latencyMs: options.latencyMs, quota: options.quota, limits: options.limits, oauthApps: options.oauthApps, webhooks: options.webhooks,
  });
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    done(null, { contentType: String(request.headers['content-type'] ?? ''), raw: body as Buffer } satisfies RawBody);
  });
  registerControlRoutes(app, state);
  registerOAuthRoutes(app, state);
  registerLeadWebhookRoutes(app, state);

  const graph = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const rawUrl = request.url;
    const q = rawUrl.indexOf('?');
    let path = decodeURIComponent(q >= 0 ? rawUrl.slice(0, q) : rawUrl);
    const query = q >= 0 ? Object.fromEntries(new URLSearchParams(rawUrl.slice(q + 1))) : {};
    const params = { ...query, ...bodyParams(request.body) };
    const latest = `v${state.limits.latestVersion}.0`;
    const m = VERSION_RE.exec(path);
    let version = latest;
    if (m) {
      version = `v${m[1]}.${m[2]}`;
      path = path.slice(m[0].length);
    }
    path = path.replace(/^\/+|\/+$/g, '');
    const unversionedBatch = !m && path === '' && request.method === 'POST';
    if ((!m && !unversionedBatch) || (m && Number(m[1]) < state.limits.minVersion)) {
      return send(reply, 400, errorEnvelope(deprecatedVersion(state.limits.latestVersion)), state.quota.headers(undefined, 0, false, Date.now()), version);
    }
    if (m && (Number(m[1]) > state.limits.latestVersion || m[2] !== '0')) {
      return send(reply, 400, errorEnvelope(unknownVersion(path)), state.quota.headers(undefined, 0, false, Date.now()), latest);
    }
    const latency = state.faults.config.latencyMs ?? state.latencyMs;
    if (latency > 0) await sleep(latency);
    const auth = request.headers.authorization;
    const bearer = auth && /^(Bearer|OAuth)\s+/i.test(auth) ? auth.replace(/^(Bearer|OAuth)\s+/i, '').trim() : undefined;
    const res = handleGraph(state, {
      method: request.method,
      path,
      params,
      token: params.access_token ?? bearer,
      origin: { baseUrl: `${request.protocol}://${request.headers.host ?? 'localhost'}`, version },
    });
    if (res.dropped) {
      // The write took effect, but the client never hears back: close the connection unanswered.
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return send(reply, res.status, res.body, res.headers, version);
  };
  app.route({ method: ['GET', 'POST', 'DELETE'], url: '/', handler: graph });
  app.route({ method: ['GET', 'POST', 'DELETE'], url: '/*', handler: graph });
  return { app, state };
}

/** Start listening; resolves once the port is bound. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { app, state } = buildSimulatorApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 4100, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 4100;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    state,
    close: async () => {
      // Deliveries in flight would outlive the server (and a test's callback); stop notifying first.
      state.webhooks.stop();
      await app.close();
    },
  };
}
