/**
 * Meta's Webhooks: the subscription handshake and the `leadgen` notifications of a page. A
 * notification is trusted only when `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body
 * with the app secret; each lead then becomes one `meta-lead:<leadgenId>` workflow, so Meta's
 * redelivery of a notification (it retries until it gets a 2xx) starts nothing new.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { z } from 'zod';
import { leadStart } from '../../domain/starts/lead';
import { findConnectedAccountOfPage } from '../db/lead-repository';
import { ValidationError, WebhookRefusedError } from '../errors';
import { workflowStartOptions } from '../temporal/workflow-starts';
import type { ServiceContext } from './service-context';
import { mapTemporalError } from './temporal-errors';

/** What this process did with notifications since it started (shown by /status). */
export interface WebhookCounters {
  /** Signed notifications accepted. */
  notifications: number;
  /** Calls refused: no signature, a wrong one, or no app secret configured. */
  refusedSignatures: number;
  /** `leadgen` changes whose lead workflow was started. */
  leadsStarted: number;
  /** `leadgen` changes of a lead whose workflow already ran or runs: a redelivery. */
  leadsDuplicate: number;
  /** `leadgen` changes of a page no connected ad account promotes: dropped. */
  leadsDroppedUnknownPage: number;
  /** Changes of other fields (not subscribed to leads): ignored. */
  otherChanges: number;
}

const counters: WebhookCounters = { notifications: 0, refusedSignatures: 0, leadsStarted: 0, leadsDuplicate: 0, leadsDroppedUnknownPage: 0, otherChanges: 0 };

/** A copy of this process's webhook counters. */
export function webhookCounters(): WebhookCounters {
  return { ...counters };
}

/** The subscription handshake's query (`hub.mode`, `hub.verify_token`, `hub.challenge`). */
export const webhookVerificationInput = z.object({
  'hub.mode': z.string().max(100).optional(),
  'hub.verify_token': z.string().max(1000).optional(),
  'hub.challenge': z.string().max(1000).optional(),
});

/**
 * Answers Meta's subscription handshake: the challenge, echoed, when the mode is `subscribe` and
 * the verify token is the configured one; refused otherwise (and when none is configured).
 */
export function verifyWebhookSubscription(ctx: Pick<ServiceContext, 'config'>, query: z.infer<typeof webhookVerificationInput>): string {
  const expected = ctx.config.webhooks.verifyToken;
  const given = query['hub.verify_token'];
  if (query['hub.mode'] !== 'subscribe' || !expected || given === undefined || !sameSecret(given, expected)) {
    throw new WebhookRefusedError('Webhook verification refused: hub.mode must be "subscribe" and hub.verify_token the configured META_WEBHOOK_VERIFY_TOKEN');
  }
  if (!query['hub.challenge']) throw new ValidationError('hub.challenge is required: Meta sends the value to echo');
  return query['hub.challenge'];
}

/** `sha256=<hex>` of the raw body with the app secret. */
export function webhookSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const leadgenValue = z.object({
  leadgen_id: z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String),
  page_id: z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String),
  form_id: z.union([z.string().regex(/^\d{1,30}$/), z.number().int().nonnegative()]).transform(String).optional(),
  ad_id: z.unknown().optional(),
  adgroup_id: z.unknown().optional(),
  created_time: z.unknown().optional(),
});

const notificationSchema = z.object({
  object: z.string().max(100),
  entry: z
    .array(z.object({ id: z.unknown().optional(), time: z.unknown().optional(), changes: z.array(z.object({ field: z.string().max(200), value: z.unknown() })).max(1000).optional() }))
    .max(1000),
});

/** What one notification led to. */
export interface WebhookOutcome {
  leadsStarted: number;
  leadsDuplicate: number;
  leadsDroppedUnknownPage: number;
  otherChanges: number;
}

/**
 * Checks the signature of a notification before looking at it (a refused call starts nothing),
 * then starts one lead workflow per `leadgen` change of a page a connected account promotes.
 * Starts are awaited before answering: Meta retries a notification that did not get a 2xx, so a
 * start Temporal could not take answers 503 and comes back, instead of a lead lost behind a 200.
 */
export async function receiveMetaNotification(ctx: ServiceContext, input: { rawBody: Buffer; signature?: string }): Promise<WebhookOutcome> {
  const secret = ctx.config.oauth.appSecret;
  if (!secret || !input.signature || !sameSecret(input.signature, webhookSignature(secret, input.rawBody))) {
    counters.refusedSignatures++;
    throw new WebhookRefusedError(
      secret ? 'Webhook refused: X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the app secret' : 'Webhook refused: no Meta app secret is configured (META_APP_SECRET)',
    );
  }
  let parsed: z.infer<typeof notificationSchema>;
  try {
    parsed = notificationSchema.parse(JSON.parse(input.rawBody.toString('utf8')));
  } catch {
    throw new ValidationError('Webhook body must be a JSON notification {object, entry: [{changes: [{field, value}]}]}');
  }
  counters.notifications++;
  const outcome: WebhookOutcome = { leadsStarted: 0, leadsDuplicate: 0, leadsDroppedUnknownPage: 0, otherChanges: 0 };
  const leads = new Map<string, z.infer<typeof leadgenValue>>();
  for (const entry of parsed.entry) {
    for (const change of entry.changes ?? []) {
      const value = change.field === 'leadgen' ? leadgenValue.safeParse(change.value) : undefined;
      if (value?.success) leads.set(value.data.leadgen_id, value.data);
      else outcome.otherChanges++;
    }
  }
  await Promise.all([...leads.values()].map(async (lead) => {
    const account = await findConnectedAccountOfPage(ctx.db, lead.page_id);
    if (!account) {
      outcome.leadsDroppedUnknownPage++;
      return;
    }
    const spec = leadStart({ ...account, leadgenId: lead.leadgen_id, pageId: lead.page_id, formId: lead.form_id });
    try {
      await ctx.temporal.workflow.start(spec.workflowType, {
        ...workflowStartOptions(spec, ctx.config.temporal.taskQueue),
        // Any run of the same lead, running or finished, refuses a new one: the notification is a redelivery.
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      outcome.leadsStarted++;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) outcome.leadsDuplicate++;
      else throw mapTemporalError(error, { kind: 'Workflow', id: spec.workflowId });
    }
  }));
  counters.leadsStarted += outcome.leadsStarted;
  counters.leadsDuplicate += outcome.leadsDuplicate;
  counters.leadsDroppedUnknownPage += outcome.leadsDroppedUnknownPage;
  counters.otherChanges += outcome.otherChanges;
  return outcome;
}
