import { insertAuditEvent } from '../db/audit-repository';
import type { Actor } from './actor';
import { actorLabel } from './actor';
import type { ServiceContext } from './service-context';

/** Records who did what through a front (ids and kinds only, never secrets). Never fails the caller. */
export async function recordAudit(
  ctx: Pick<ServiceContext, 'db'>,
  actor: Actor,
  event: { action: string; targetType: string; targetId?: string; details?: Record<string, unknown>; requestId?: string },
): Promise<void> {
  try {
    await insertAuditEvent(ctx.db, { ...event, requestId: boundedRequestId(event.requestId), companyId: actor.companyId, actor: actorLabel(actor) });
  } catch {
    // Auditing is best effort: the action itself already happened.
  }
}

/** Request ids come from clients (`x-request-id`): only a short id of safe characters is stored, anything else is dropped. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

function boundedRequestId(requestId: string | undefined): string | undefined {
  return requestId !== undefined && REQUEST_ID_PATTERN.test(requestId) ? requestId : undefined;
}
