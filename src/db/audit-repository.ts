/** Audit events: who did what through a front (ids and kinds only, never secrets). */
import type { Db, Prisma } from './prisma-client';

export interface AuditEventInput {
  companyId: string;
  /** How the actor is named (`token:<id>`), never the token. */
  actor: string;
  action: string;
  targetType: string;
  targetId?: string;
  details?: Record<string, unknown>;
  requestId?: string;
}

/** Appends one audit event. */
export async function insertAuditEvent(db: Db, event: AuditEventInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      companyId: event.companyId,
      actor: event.actor,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      details: (event.details ?? undefined) as Prisma.InputJsonValue | undefined,
      requestId: event.requestId,
    },
  });
}
