import { ForbiddenError } from '../errors';

/**
 * What an API token may do. `leads` reads leads (the people's answers to lead forms: personal
 * data), which `read` does not. `admin` implies every company scope; `operator` (the global
 * schedules: rollups and retention, which act on every tenant) is implied by nothing and is
 * granted only by `npm run token:create`, never through the API.
 */
export const Scope = { Read: 'read', Leads: 'leads', Sync: 'sync', Write: 'write', Admin: 'admin', Operator: 'operator' } as const;
export type Scope = (typeof Scope)[keyof typeof Scope];
/** The scopes a company admin may grant through the API (POST /v1/tokens). */
export const COMPANY_SCOPES: readonly Scope[] = [Scope.Read, Scope.Leads, Scope.Sync, Scope.Write, Scope.Admin];
/** Every scope a token may hold (the CLI may grant `operator` too). */
export const ALL_SCOPES: readonly Scope[] = [...COMPANY_SCOPES, Scope.Operator];

/** Who is calling: resolved from the bearer token by each front, passed to every operation. */
export interface Actor {
  tokenId: string;
  companyId: string;
  scopes: readonly Scope[];
}

/** Whether the actor holds the scope; `admin` stands for every company scope, never for `operator`. */
export function hasScope(actor: Actor, scope: Scope): boolean {
  return actor.scopes.includes(scope) || (scope !== Scope.Operator && actor.scopes.includes(Scope.Admin));
}

/** Throws 403 unless the actor holds the scope (or admin, for a company scope). */
export function requireScope(actor: Actor, scope: Scope): void {
  if (!hasScope(actor, scope)) throw new ForbiddenError(scope);
}

/** How the actor is named in audit events (never the token itself). */
export function actorLabel(actor: Actor): string {
  return `token:${actor.tokenId}`;
}
