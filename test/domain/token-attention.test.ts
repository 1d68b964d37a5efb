import { tokenAttentionOf, withdrawnScopes } from '../../domain/token-attention';

const DAY = 86_400_000;
const checkedAt = new Date('2026-03-01T05:00:00Z');
const valid = { tokenStatus: 'valid', tokenError: null, tokenCheckedAt: checkedAt, tokenMissingScopes: [] as string[] };

test('a required scope counts as withdrawn only when the token had it', () => {
  expect(withdrawnScopes(['ads_read', 'ads_management', 'leads_retrieval'], ['ads_read'])).toEqual(['ads_management', 'leads_retrieval']);
  // A read-only pasted token never had ads_management: nothing was withdrawn.
  expect(withdrawnScopes(['ads_read'], ['ads_read'])).toEqual([]);
  // A scope the service does not need may come and go.
  expect(withdrawnScopes(['ads_read', 'email'], ['ads_read'])).toEqual([]);
});

test('a valid token is reported from 14 days before expiry, measured from the check', () => {
  const at = (days: number) => tokenAttentionOf({ ...valid, tokenExpiresAt: new Date(checkedAt.getTime() + days * DAY) });
  expect(at(15)).toBeNull();
  expect(at(14)).toMatchObject({ kind: 'token_expiring', daysLeft: 14 });
  expect(at(10)).toMatchObject({ kind: 'token_expiring', daysLeft: 10, message: expect.stringContaining('10 day(s)') });
  // Never expires, or never checked: nothing to report.
  expect(tokenAttentionOf({ ...valid, tokenExpiresAt: null })).toBeNull();
  expect(tokenAttentionOf({ ...valid, tokenCheckedAt: null, tokenExpiresAt: new Date(checkedAt.getTime() + DAY) })).toBeNull();
});

test('an account needing re-authorisation is reported, naming withdrawn scopes', () => {
  expect(tokenAttentionOf({ ...valid, tokenStatus: 'needs_reauth', tokenError: 'Error validating access token: Session has expired', tokenExpiresAt: null })).toMatchObject({
    kind: 'needs_reauth',
    message: expect.stringContaining('Session has expired'),
  });
  expect(tokenAttentionOf({ ...valid, tokenStatus: 'needs_reauth', tokenError: 'withdrawn', tokenMissingScopes: ['leads_retrieval'], tokenExpiresAt: null })).toMatchObject({
    kind: 'scope_withdrawn',
    missingScopes: ['leads_retrieval'],
    message: expect.stringContaining('leads_retrieval'),
  });
});
