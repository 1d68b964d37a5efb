/**
 * The SDK wiring against a tiny local HTTP server, for what the simulator does not produce:
 * non-JSON error bodies, JSON primitives as answers, and the exact wire format of requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import { MetaTransientError } from '../../src/errors';
import { GraphApi, appsecretProof } from '../../src/meta/graph-api';

const TOKEN = 'fake-meta-token-wire-test-42';
const SECRET = 'wire-app-secret';

interface Seen { method: string; url: string; contentType?: string; body: string }
let server: http.Server;
let base: string;
const seen: Seen[] = [];
let respond: (req: http.IncomingMessage, res: http.ServerResponse) => void;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (seen.length = 0));

const usageHeader = { 'x-business-use-case-usage': JSON.stringify({ '1': [{ type: 'ads_management', call_count: 99, estimated_time_to_regain_access: 4 }] }) };

function api(): GraphApi {
  return new GraphApi({ graphUrl: `${base}/`, apiVersion: 'v23.0', accessToken: TOKEN, appSecret: SECRET, timeoutMs: 2000 });
}

describe('GraphApi (SDK transport)', () => {
  it('GETs the configured base and version, with token and appsecret_proof, and no body', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'x-app-usage': '{"call_count":12}' }).end('{"id":"1","name":"x"}');
    const res = await api().request('GET', ['act_1', 'campaigns'], { fields: 'id,name', filtering: [{ field: 'campaign.effective_status', operator: 'IN', value: ['ACTIVE'] }] });
    expect(res.body).toEqual({ id: '1', name: 'x' });
    expect(res.usage.maxPct).toBe(12);
    const url = new URL(seen[0]?.url ?? '', base);
    expect(url.pathname).toBe('/v23.0/act_1/campaigns');
    expect(url.searchParams.get('access_token')).toBe(TOKEN);
    expect(url.searchParams.get('appsecret_proof')).toBe(appsecretProof(TOKEN, SECRET));
    expect(JSON.parse(url.searchParams.get('filtering') ?? '')).toEqual([{ field: 'campaign.effective_status', operator: 'IN', value: ['ACTIVE'] }]);
    expect(seen[0]?.body).toBe('');
  });

  it('POSTs form-encoded bodies with JSON-valued params as JSON strings', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"9"}');
    await api().request('POST', ['act_1', 'campaigns'], { name: 'A', special_ad_categories: [], daily_budget: '2500' });
    expect(seen[0]?.contentType).toMatch(/application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(seen[0]?.body);
    expect(form.get('special_ad_categories')).toBe('[]');
    expect(form.get('daily_budget')).toBe('2500');
    expect(form.get('access_token')).toBe(TOKEN);
    expect(seen[0]?.url).toBe('/v23.0/act_1/campaigns');
  });

  it('keeps status and usage headers of a non-JSON error body (where the SDK itself throws a SyntaxError)', async () => {
    respond = (_req, res) => res.writeHead(502, { 'content-type': 'text/html', ...usageHeader }).end('<html>Bad gateway</html>');
    const usages: number[] = [];
    const error = await api().request('GET', ['act_1'], {}, { adAccountId: 'act_1', onUsage: (u) => usages.push(u.regainAfterMs ?? 0) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetaTransientError);
    expect((error as MetaTransientError).meta.httpStatus).toBe(502);
    expect(usages).toEqual([4 * 60_000]);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('returns JSON primitives (where the SDK fails attaching headers)', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('true');
    await expect(api().request('POST', ['123'], { status: 'PAUSED' })).resolves.toMatchObject({ status: 200, body: true });
  });

  it('leaves the SDK default API and other instances untouched', async () => {
    respond = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const before = FacebookAdsApi.getDefaultApi();
    const a = new GraphApi({ graphUrl: base, apiVersion: 'v24.0', accessToken: 'token-one-aaaaaaaa' });
    const b = new GraphApi({ graphUrl: base, apiVersion: 'v24.0', accessToken: 'token-two-bbbbbbbb' });
    await Promise.all([a.request('GET', ['act_1']), b.request('GET', ['act_2'])]);
    expect(FacebookAdsApi.getDefaultApi()).toBe(before);
    const tokens = seen.map((s) => [new URL(s.url, base).pathname, new URL(s.url, base).searchParams.get('access_token')]).sort();
    expect(tokens).toEqual([['/v24.0/act_1', 'token-one-aaaaaaaa'], ['/v24.0/act_2', 'token-two-bbbbbbbb']]);
  });
});
