/**
 * Meta's Webhooks as the simulator sends them: `POST /__sim/leads {formId}` creates a lead on a
 * form and notifies the configured callback URL with a `page` / `leadgen` notification signed as
 * Meta signs it (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body with the app secret>`).
 * An answer that is not 2xx (or none) is retried with back-off, as Meta does, a bounded number of
 * times; `/__sim/webhooks` configures the URL and the retries and lists the deliveries.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEMO_META_APP } from '../../domain/demo-meta-app';
import { bodyJson } from './request-body';
import type { SimulatorState } from './simulator-state';

/** Where and how notifications are delivered. */
export interface SimWebhookOptions {
  /** The subscription's callback URL; unset: leads are created and nobody is notified. */
  url?: string;
  /** Signs every notification. @default the demo app's secret (domain/demo-meta-app.ts) */
  appSecret?: string;
  /** Deliveries of one notification before giving up (the first included). @default 5 */
  maxAttempts?: number;
  /** Wait before the first retry; doubled before each next one. @default 1000 */
  retryDelayMs?: number;
}

/** One delivery attempt, as `/__sim/webhooks` lists it (newest last). */
export interface SimWebhookDelivery {
  leadgenId: string;
  /** Which sending of the notification (a lead sent several times counts each). */
  sending: number;
  attempt: number;
  /** The HTTP status answered, or 0 when the call failed without one. */
  status: number;
  at: string;
}

/** Most deliveries kept for `/__sim/webhooks`. */
const DELIVERY_LOG_SIZE = 500;
/** One delivery's timeout: Meta gives up on a slow callback too. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** Webhook subscription state of one simulator. */
export class SimWebhooks {
  url?: string;
  appSecret: string;
  maxAttempts: number;
  retryDelayMs: number;
  readonly deliveries: SimWebhookDelivery[] = [];
  private stopped = false;
  /** Deliveries not yet settled (answered 2xx or given up), so tests and shutdown can wait. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: SimWebhookOptions = {}) {
    this.url = options.url;
    this.appSecret = options.appSecret ?? DEMO_META_APP.appSecret;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** What `/__sim/webhooks` shows (never the secret). */
  view(): Record<string, unknown> {
    return { url: this.url ?? null, maxAttempts: this.maxAttempts, retryDelayMs: this.retryDelayMs, pending: this.inFlight.size, deliveries: this.deliveries };
  }

  /** Sends one notification `times` times in a row (Meta may deliver one more than once), each retried until 2xx. */
  notify(leadgenId: string, body: string, times: number): void {
    const url = this.url;
    if (!url) return;
    const run = (async () => {
      for (let sending = 1; sending <= times; sending++) await this.deliver(url, leadgenId, body, sending);
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Stops notifying (the simulator is closing): pending retries give up. */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves when every notification sent so far is settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(url: string, leadgenId: string, body: string, sending: number): Promise<void> {
    const signature = `sha256=${createHmac('sha256', this.appSecret).update(body).digest('hex')}`;
    for (let attempt = 1; attempt <= this.maxAttempts && !this.stopped; attempt++) {
      let status = 0;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        status = 0;
      }
      this.deliveries.push({ leadgenId, sending, attempt, status, at: new Date().toISOString() });
      if (this.deliveries.length > DELIVERY_LOG_SIZE) this.deliveries.shift();
      if (status >= 200 && status < 300) return;
      if (attempt < this.maxAttempts) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 1)).unref());
    }
  }
}

function bad(message: string): { status: 400; body: { error: string } } {
  return { status: 400, body: { error: message } };
}

/** Creates a lead on a form (answers for each of its questions) and returns it with its page. */
export function createSimLead(state: SimulatorState, formId: string): { id: string; formId: string; pageId: string; createdMs: number } | string {
  const form = state.nodes.get(formId);
  if (!form || form.type !== 'leadgen_form') return `unknown lead form ${formId}`;
  let pageId: string | undefined;
  for (const [parentId] of state.edges) if (state.edgeIds(parentId, 'leadgen_forms').includes(formId)) pageId = parentId;
  if (!pageId) return `lead form ${formId} belongs to no page`;
  const id = state.allocateId('lead');
  const createdMs = state.now();
  const questions = Array.isArray(form.fields.questions) ? (form.fields.questions as Array<{ key?: string }>) : [];
  const answer = (key: string): string => (key === 'email' ? `lead${id.slice(-6)}@example.com` : key === 'full_name' ? `Lead ${id.slice(-4)}` : `${key} ${id.slice(-4)}`);
  state.addNode({
    type: 'lead', id, accountId: form.accountId, createdMs, updatedMs: createdMs, ordinal: -1,
    fields: {
      form_id: formId, is_organic: true, platform: 'fb', created_time: createdMs,
      field_data: questions.filter((q) => typeof q.key === 'string').map((q) => ({ name: q.key!, values: [answer(q.key!)] })),
    },
  });
  state.addEdge(formId, 'leads', id);
  if (typeof form.fields.leads_count === 'number') form.fields.leads_count += 1;
  state.version++;
  return { id, formId, pageId, createdMs };
}

/** Meta's notification body for a new lead of a page. */
export function leadgenNotification(lead: { id: string; formId: string; pageId: string; createdMs: number }): string {
  const seconds = Math.floor(lead.createdMs / 1000);
  return JSON.stringify({
    object: 'page',
    entry: [{ id: lead.pageId, time: seconds, changes: [{ field: 'leadgen', value: { leadgen_id: lead.id, page_id: lead.pageId, form_id: lead.formId, created_time: seconds } }] }],
  });
}

/** Registers `POST /__sim/leads` and `GET|POST /__sim/webhooks`. */
export function registerLeadWebhookRoutes(app: FastifyInstance, state: SimulatorState): void {
  app.get('/__sim/webhooks', async () => state.webhooks.view());

  app.post('/__sim/webhooks', async (request, reply) => {
    let b: Record<string, unknown>;
    try {
      b = (bodyJson(request.body) ?? {}) as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ error: 'body must be JSON' });
    }
    const checked = checkWebhookConfig(b);
    if (typeof checked === 'string') return reply.code(400).send({ error: checked });
    const w = state.webhooks;
    if (b.url !== undefined) w.url = (b.url as string | null) ?? undefined;
    if (checked.appSecret !== undefined) w.appSecret = checked.appSecret;
    if (checked.maxAttempts !== undefined) w.maxAttempts = checked.maxAttempts;
    if (checked.retryDelayMs !== undefined) w.retryDelayMs = checked.retryDelayMs;
    if (b.clearDeliveries === true) w.deliveries.length = 0;
    return w.view();
  });

  app.post('/__sim/leads', async (request, reply) => {
    let b: Record<string, unknown>;
    try {
      b = (bodyJson(request.body) ?? {}) as Record<string, unknown>;
    } catch {
      return reply.code(400).send({ error: 'body must be JSON' });
    }
    const times = b.deliveries ?? 1;
    if (typeof b.formId !== 'string' || !/^\d{1,30}$/.test(b.formId)) return reply.code(400).send(bad('formId must be a lead form id').body);
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 5) return reply.code(400).send(bad('deliveries must be an integer from 1 to 5').body);
    const lead = createSimLead(state, b.formId);
    if (typeof lead === 'string') return reply.code(400).send({ error: lead });
    state.webhooks.notify(lead.id, leadgenNotification(lead), times);
    return reply.code(201).send({ id: lead.id, formId: lead.formId, pageId: lead.pageId, notified: state.webhooks.url ? times : 0 });
  });
}

function checkWebhookConfig(b: Record<string, unknown>): { appSecret?: string; maxAttempts?: number; retryDelayMs?: number } | string {
  if (b.url !== undefined && b.url !== null) {
    if (typeof b.url !== 'string' || !/^https?:\/\/\S+$/.test(b.url)) return 'url must be an http(s) URL, or null to stop notifying';
  }
  if (b.appSecret !== undefined && (typeof b.appSecret !== 'string' || b.appSecret.length < 8)) return 'appSecret must be a string of at least 8 characters';
  const int = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (b.maxAttempts !== undefined && !int(b.maxAttempts, 1, 20)) return 'maxAttempts must be an integer from 1 to 20';
  if (b.retryDelayMs !== undefined && !int(b.retryDelayMs, 0, 3_600_000)) return 'retryDelayMs must be an integer from 0 to 3600000';
  return { appSecret: b.appSecret as string | undefined, maxAttempts: b.maxAttempts as number | undefined, retryDelayMs: b.retryDelayMs as number | undefined };
}
