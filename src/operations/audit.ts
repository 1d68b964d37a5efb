import { insertAuditEvent } from '../db/audit-repository';
import type { Actor } from './actor';
import { actorLabel } from './actor';
import type { ServiceContext } from './service-context';

/** Records who did what through a front (ids and kinds only, never secrets). Never fails the caller. */
export async function recordAudit(
  ctx: ServiceContext,
  actor: Actor,
  event: { action: string; targetType: string; targetId?: string; details?: Record<string, unknown>; requestId?: string },
): Promise<void> {
  try {
    await insertAuditEvent(ctx.db, { ...event, companyId: actor.companyId, actor: actorLabel(actor) });
  } catch {
    // Auditing is best effort: the action itself already happened.
  }
}
