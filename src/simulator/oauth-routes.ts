/**
 * Facebook Login's browser side and its controls. `GET /dialog/oauth` (also under a version,
 * `/v24.0/dialog/oauth`, as www.facebook.com serves it) is the consent dialog: the simulated
 * person grants at once and the browser is redirected to `redirect_uri` with `code` and `state`
 * (or, when the person cancels, with Meta's `error=access_denied`). `/__sim/oauth/*` sets what the
 * person does, withdraws a permission and mints system-user tokens. The token endpoint and
 * `debug_token` are Graph calls (graph-routes.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bodyJson } from './request-body';
import type { SimulatorState } from './simulator-state';

function bad(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: message });
}

function jsonBody(body: unknown): Record<string, unknown> {
  try {
    const value = bodyJson(body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Register the dialog and `/__sim/oauth/*`. */
export function registerOAuthRoutes(app: FastifyInstance, state: SimulatorState): void {
  const dialog = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const q = request.query as Record<string, string | undefined>;
    // Meta shows an error page (no redirect) for an unknown app or a malformed redirect URI.
    if (!state.oauth.app(q.client_id)) return bad(reply, 'Invalid App ID: the client_id is not a Meta app this simulator knows');
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
    } catch {
      return bad(reply, "URL Blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings.");
    }
    if (q.response_type !== undefined && q.response_type !== 'code') return bad(reply, 'response_type must be code for the authorization-code flow');
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    if (state.oauth.person.deny) {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_code', '200');
      redirect.searchParams.set('error_description', 'Permissions error');
      redirect.searchParams.set('error_reason', 'user_denied');
    } else {
      const scopes = (q.scope ?? '').split(/[\s,]+/).filter(Boolean);
      redirect.searchParams.set('code', state.oauth.authorize({ appId: q.client_id!, redirectUri: q.redirect_uri!, scopes }));
    }
    // Meta appends an empty fragment to its redirects.
    return reply.code(302).header('location', `${redirect.toString()}#_=_`).send();
  };
  app.get('/dialog/oauth', dialog);
  app.get('/:version/dialog/oauth', dialog);

  app.get('/__sim/oauth/person', async () => state.oauth.person);
  app.post('/__sim/oauth/person', async (request, reply) => {
    const b = jsonBody(request.body);
    if (b.adAccountIds !== undefined && b.adAccountIds !== null && !isStringList(b.adAccountIds)) return bad(reply, 'adAccountIds must be a list of act_ ids (or null for all)');
    if (b.declineScopes !== undefined && !isStringList(b.declineScopes)) return bad(reply, 'declineScopes must be a list of permission names');
    if (b.deny !== undefined && typeof b.deny !== 'boolean') return bad(reply, 'deny must be a boolean');
    const unknown = (isStringList(b.adAccountIds) ? b.adAccountIds : []).filter((id) => !state.accounts.has(id));
    if (unknown.length) return bad(reply, `unknown ad accounts ${unknown.join(', ')}`);
    const person = state.oauth.person;
    state.oauth.person = {
      userId: person.userId,
      adAccountIds: b.adAccountIds === undefined ? person.adAccountIds : b.adAccountIds === null ? undefined : (b.adAccountIds as string[]),
      declineScopes: (b.declineScopes as string[] | undefined) ?? person.declineScopes,
      deny: (b.deny as boolean | undefined) ?? person.deny,
    };
    return state.oauth.person;
  });

  /** The person removes a permission from the app in their settings (every user token loses it). */
  app.post('/__sim/oauth/withdraw', async (request, reply) => {
    const scope = jsonBody(request.body).scope;
    if (typeof scope !== 'string' || !scope) return bad(reply, 'body must be {"scope": "<permission>"}');
    return { scope, tokens: state.oauth.withdrawScope(scope) };
  });

  /** A system user's token, as Business Manager issues it (`expiresInSeconds` 0 = never; Meta now defaults to 60 days). */
  app.post('/__sim/oauth/system-user-token', async (request, reply) => {
    const b = jsonBody(request.body);
    const scopes = b.scopes ?? ['ads_management', 'ads_read', 'business_management'];
    if (!isStringList(scopes)) return bad(reply, 'scopes must be a list of permission names');
    if (b.adAccountIds !== undefined && !isStringList(b.adAccountIds)) return bad(reply, 'adAccountIds must be a list of act_ ids');
    const expiresInSeconds = b.expiresInSeconds ?? 60 * 86_400;
    if (typeof expiresInSeconds !== 'number' || !Number.isInteger(expiresInSeconds) || expiresInSeconds < 0) return bad(reply, 'expiresInSeconds must be a non-negative integer');
    return { access_token: state.oauth.issueSystemUserToken({ scopes, adAccountIds: b.adAccountIds as string[] | undefined, expiresInSeconds }) };
  });
}
