import { bearer, createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '5' }, worker: false });
});
afterAll(async () => h?.close());

test('requests are limited per token: the 6th in a minute is 429 in the error shape; other tokens are unaffected', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) })).statusCode);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  const limited = await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.a.read) });
  expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', requestId: expect.any(String) });
  expect(limited.headers['retry-after']).toBeDefined();
  expect((await h.inject({ url: '/v1/ad-accounts', headers: bearer(h.b.read) })).statusCode).toBe(200);
  expect((await h.inject({ url: '/health' })).statusCode).toBe(200);
});
