import { ForbiddenError } from '../errors';

/** What an API token may do. `admin` implies every other scope. */
export const Scope = { Read: 'read', Sync: 'sync', Write: 'write', Admin: 'admin' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];
export const ALL_SCOPES: readonly Scope[] = [Scope.Read, Scope.Sync, Scope.Write, Scope.Admin];

/** Who is calling: resolved from the bearer token by each front, passed to every operation. */
export interface Actor {
  tokenId: string;
  companyId: string;
  scopes: readonly Scope[];
}

/** Throws 403 unless the actor holds the scope (or admin). */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope) && !actor.scopes.includes(Scope.Admin)) throw new ForbiddenError(scope);
}

/** How the actor is named in audit events (never the token itself). */
export function actorLabel(actor: Actor): string {
  return `token:${actor.tokenId}`;
}
