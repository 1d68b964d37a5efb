import { segment } from '../api-client';
import { UsageError } from '../cli-errors';
import { emit, fields, notePaging, table } from '../output';
import { limitOf, noMorePositionals, parseCommandArgs, positional, type Command } from './command';

/** `--expires-at` as given, or `--expires-in-days` from now, as the API's `expiresAt`. */
export function expiryOf(values: { 'expires-at'?: string; 'expires-in-days'?: string }, now = Date.now()): string | undefined {
  if (values['expires-at'] !== undefined && values['expires-in-days'] !== undefined) throw new UsageError('give --expires-at or --expires-in-days, not both');
  if (values['expires-in-days'] !== undefined) {
    if (!/^\d+$/.test(values['expires-in-days']) || Number(values['expires-in-days']) < 1) throw new UsageError('--expires-in-days must be a whole number of days, at least 1');
    return new Date(now + Number(values['expires-in-days']) * 86_400_000).toISOString();
  }
  return values['expires-at'];
}

/** `--scopes a,b` as a list. */
export function scopesOf(value: string | undefined): string[] {
  const scopes = (value ?? '').split(',').map((scope) => scope.trim()).filter(Boolean);
  if (scopes.length === 0) throw new UsageError('--scopes is required: a comma-separated subset of read,leads,sync,write,admin');
  return scopes;
}

/** The human view of a token just created: the value is shown once. */
export function createdTokenText(t: { id: string; companyId: string; scopes: string[]; expiresAt: string | null; token: string }): string {
  return `${fields([['id', t.id], ['company', t.companyId], ['scopes', t.scopes], ['expires', t.expiresAt ?? 'never']])}token (shown once, store it now): ${t.token}\n`;
}

export const TOKEN_OPTIONS = { name: { type: 'string' }, scopes: { type: 'string' }, 'expires-at': { type: 'string' }, 'expires-in-days': { type: 'string' } } as const;

/** `tokens`: the company's own API tokens (admin scope). */
export const tokensCommand: Command = {
  name: 'tokens',
  summary: "List, create or revoke the company's API tokens (admin)",
  usage: [
    'tokens [--limit <n>] [--cursor <c>]',
    'tokens create --name <text> --scopes read,leads,sync,write,admin [--expires-at <ISO time> | --expires-in-days <n>]',
    'tokens revoke <tokenId>',
  ].join('\n'),
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, { ...TOKEN_OPTIONS, limit: { type: 'string' }, cursor: { type: 'string' } });
    const [action] = positionals;
    if (action === 'create') {
      noMorePositionals(positionals, 1);
      if (!values.name) throw new UsageError('--name is required: what the token is for');
      const created = await api.post('/v1/tokens', { name: values.name, scopes: scopesOf(values.scopes), expiresAt: expiryOf(values) });
      emit(out, created, createdTokenText);
      return 0;
    }
    if (action === 'revoke') {
      const id = positional(positionals, 1, 'the token id');
      noMorePositionals(positionals, 2);
      const revoked = await api.delete(`/v1/tokens/${segment(id)}`);
      emit(out, revoked, (t) => fields([['id', t.id], ['name', t.name], ['status', t.status], ['revoked at', t.revokedAt]]));
      return 0;
    }
    if (action !== undefined) throw new UsageError(`unknown tokens action "${action}": create or revoke`);
    const page = await api.get('/v1/tokens', { limit: limitOf(values.limit), cursor: values.cursor });
    emit(out, page, (p) =>
      table(p.data as any[], [
        { header: 'id', value: (t) => t.id },
        { header: 'name', value: (t) => t.name },
        { header: 'prefix', value: (t) => `${t.prefix}…` },
        { header: 'scopes', value: (t) => t.scopes },
        { header: 'status', value: (t) => t.status },
        { header: 'expires', value: (t) => t.expiresAt ?? 'never' },
        { header: 'last used', value: (t) => t.lastUsedAt },
      ]),
    );
    notePaging(out, page);
    return 0;
  },
};
