import type { Prisma } from '../db/prisma-client';
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
    await ctx.db.auditEvent.create({
      data: {
        companyId: actor.companyId,
        actor: actorLabel(actor),
        action: event.action,
        targetType: event.targetType,
        targetId: event.targetId,
        details: (event.details ?? undefined) as Prisma.InputJsonValue | undefined,
        requestId: event.requestId,
      },
    });
  } catch {
    // Auditing is best effort: the action itself already happened.
  }
}
