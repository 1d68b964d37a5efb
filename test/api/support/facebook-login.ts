import { bearer, type Harness, type Tokens } from './harness';

/**
 * A whole Facebook Login of a company against the simulator, as a browser drives it: start (the
 * company admin), Meta's dialog (its redirect read, not followed), the callback. Answers the grant.
 */
export async function facebookLogin(h: Harness, tokens: Tokens): Promise<{ grantId: string; adAccounts: Array<{ id: string; connection: string }>; missingScopes: string[] }> {
  const start = await h.inject({ url: '/v1/meta/oauth/start', headers: bearer(tokens.admin) });
  if (start.statusCode !== 200) throw new Error(`start answered ${start.statusCode}: ${start.body}`);
  const dialog = await fetch(start.json().url, { redirect: 'manual' });
  const location = dialog.headers.get('location');
  if (dialog.status !== 302 || !location) throw new Error(`the dialog answered ${dialog.status}`);
  const callback = await h.inject({ url: `/v1/meta/oauth/callback${new URL(location).search}` });
  if (callback.statusCode !== 200) throw new Error(`the callback answered ${callback.statusCode}: ${callback.body}`);
  return callback.json();
}
