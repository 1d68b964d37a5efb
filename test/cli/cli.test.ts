import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { issueApiToken } from '../../src/operations/api-tokens';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness } from '../api/support/harness';

/**
 * The CLI end to end: each command runs as its own process (`node --import tsx src/cli/main.ts`,
 * what `npm run cli` runs) against the service listening on a port, with the real worker,
 * Temporal and the simulator behind it. What is asserted is what a person or a script sees:
 * exit codes, the tables, the progress bar on stderr, JSON that parses, the API's own messages.
 */
let h: Harness;
let account: string;
let operator: string;
const ROOT = path.resolve(__dirname, '..', '..');
const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mao-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the environment given (no token or config of the machine leaks in). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: configDir, META_ORCHESTRATOR_URL: h.url, ...env }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
const as = (token: string) => ({ META_ORCHESTRATOR_TOKEN: token });
const RULE_SPECS = {
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [{ field: 'entity_type', operator: 'EQUAL', value: 'AD' }, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' }, { field: 'spent', operator: 'GREATER_THAN', value: 100 }] },
  execution_spec: { execution_type: 'PAUSE' },
  schedule_spec: { schedule_type: 'DAILY' },
};

beforeAll(async () => {
  // Slow enough simulator pages that a full sync is seen running.
  h = await createHarness({ seed: 1606, latencyMs: 20 });
  [account] = h.simulatorAccounts;
  expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
  const operatorCompany = randomUUID();
  await h.database.db.company.create({ data: { id: operatorCompany, name: 'Operators' } });
  operator = (await issueApiToken(h.database.db, { companyId: operatorCompany, name: 'operator', scopes: ['operator'] })).token;
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(configDir, { recursive: true, force: true });
});

test('sync --full --wait draws the progress bar from the workflow status, exits 0 when the sync completed, and the data is there', async () => {
  const run = await cli(['sync', account, '--full', '--wait'], as(h.a.sync));
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`started meta-full-sync:${account}`) });
  const bars = run.stderr.split('\n').filter((line) => line.startsWith('['));
  // At least one line while it ran (a phase, entities done of known), and the last one complete.
  expect(bars.some((line) => /^\[[#-]{24}\] +(\?|\d+)% reading /.test(line))).toBe(true);
  expect(bars[bars.length - 1]).toMatch(/^\[#{24}\] 100% COMPLETED · (\d+)\/\1 done · \d+ pages · \d+ rows$/);
  expect(run.stdout).toBe(`meta-full-sync:${account} COMPLETED\n`);
  expect(await h.database.db.ad.count({ where: { adAccountId: account } })).toBeGreaterThan(0);
});

test('--json output parses: accounts, workflows, rules, sync --wait (no bar on stdout), a token created with an expiry', async () => {
  const accounts = await cli(['accounts', '--json'], as(h.a.read));
  expect(accounts.code).toBe(0);
  expect(JSON.parse(accounts.stdout).data).toEqual([expect.objectContaining({ id: account, status: 'connected', lastFullSyncAt: expect.any(String) })]);

  const synced = await cli(['--json', 'sync', account, '--incremental', '--wait'], as(h.a.sync));
  expect(synced.code).toBe(0);
  const body = JSON.parse(synced.stdout);
  expect(body).toMatchObject({ workflowId: expect.stringContaining(account), covers: { kind: 'incremental' }, final: { status: 'COMPLETED' } });

  const workflows = JSON.parse((await cli(['workflows', '--json'], as(h.a.read))).stdout);
  expect(workflows.data.map((w: { workflowId: string }) => w.workflowId)).toEqual(expect.arrayContaining([`meta-full-sync:${account}`, body.workflowId]));
  const running = JSON.parse((await cli(['workflows', '--running', '--json'], as(h.a.read))).stdout);
  expect(running.data.every((w: { status: string }) => w.status === 'RUNNING')).toBe(true);

  const rule = await h.inject({ method: 'POST', url: '/v1/rules', headers: bearer(h.a.write), payload: { adAccountId: account, name: 'cli rule', ...RULE_SPECS } });
  expect(rule.statusCode).toBe(201);
  const rules = JSON.parse((await cli(['rules', '--json', '--limit', '100'], as(h.a.read))).stdout);
  expect(rules.data).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: rule.json().ruleId, name: 'cli rule', runsOn: 'service', status: 'DISABLED' })]));
  expect((await cli(['rules', '--limit', '100'], as(h.a.read))).stdout).toMatch(new RegExp(`${rule.json().ruleId} +${account} +cli rule +DISABLED +service +PAUSE`));

  const created = await cli(['tokens', 'create', '--name', 'ci', '--scopes', 'read,sync', '--expires-in-days', '7', '--json'], as(h.a.admin));
  expect(created.code).toBe(0);
  const token = JSON.parse(created.stdout);
  expect(token).toMatchObject({ name: 'ci', scopes: ['read', 'sync'], status: 'active', expiresAt: expect.any(String), token: expect.stringMatching(/^mao_/) });
  expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
  // The new token works for the CLI too, and the list shows it (never its value).
  const listed = await cli(['tokens'], as(h.a.admin));
  expect(listed.stdout.split('\n')[0]).toMatch(/^ID +NAME +PREFIX +SCOPES +STATUS +EXPIRES +LAST USED$/);
  expect(listed.stdout).toContain(token.id);
  expect(listed.stdout).not.toContain(token.token);
  expect((await cli(['accounts'], as(token.token))).stdout).toContain(account);
  const revoked = await cli(['tokens', 'revoke', token.id], as(h.a.admin));
  expect({ code: revoked.code, out: revoked.stdout }).toEqual({ code: 0, out: expect.stringMatching(/status +revoked/) });
});

test('human tables: accounts and workflows', async () => {
  const accounts = await cli(['accounts'], as(h.a.read));
  const [header, row] = accounts.stdout.split('\n');
  expect(header).toMatch(/^ID +NAME +STATUS +CURRENCY +TIME ZONE +LAST FULL SYNC +LAST INCREMENTAL$/);
  expect(row).toMatch(new RegExp(`^${account} .* connected `));
  const one = await cli(['workflows', `meta-full-sync:${account}`], as(h.a.read));
  expect(one.stdout).toMatch(/status +COMPLETED/);
  expect(one.stdout).toMatch(/progress +\[#{24}\] 100% COMPLETED/);
});

test('changes <id> shows a previewed change set with its plan hash; changes confirm <id> confirms it with that hash', async () => {
  const ad = await h.database.db.ad.findFirstOrThrow({ where: { adAccountId: account, status: 'ACTIVE', deletedAt: null }, orderBy: { id: 'asc' } });
  const preview = (await h.inject({ method: 'POST', url: '/v1/change-sets', headers: bearer(h.a.write), payload: { adAccountId: account, items: [{ id: ad.id, level: 'ad', set: { status: 'PAUSED' } }] } })).json();
  expect(preview.status).toBe('previewed');

  const shown = await cli(['changes', preview.changeSetId], as(h.a.read));
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(new RegExp(`plan hash +${preview.planHash}`));
  expect(shown.stdout).toMatch(new RegExp(`\\n0 +update +ad +${ad.id} +planned +status: ACTIVE -> PAUSED`));

  // A read token may look but not confirm: the API's message, exit 1.
  const refused = await cli(['changes', 'confirm', preview.changeSetId], as(h.a.read));
  expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 1, stderr: 'error: This API token lacks the "write" scope (FORBIDDEN, HTTP 403' + refused.stderr.slice(refused.stderr.indexOf(', request')) });
  const confirmed = await cli(['changes', 'confirm', preview.changeSetId, '--json'], as(h.a.write));
  expect(confirmed.code).toBe(0);
  expect(JSON.parse(confirmed.stdout)).toMatchObject({ changeSetId: preview.changeSetId, workflowId: expect.any(String) });
  const listed = JSON.parse((await cli(['changes', '--json'], as(h.a.read))).stdout);
  expect(listed.data.map((c: { changeSetId: string }) => c.changeSetId)).toContain(preview.changeSetId);
});

test('a bad token exits 1 with the API\'s message and never prints the token', async () => {
  const bad = `mao_${randomBytes(32).toString('base64url')}`;
  const run = await cli(['accounts'], as(bad));
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error: The API token is unknown, revoked or expired \(UNAUTHENTICATED, HTTP 401, request [\w-]+\)\n$/);
  expect(run.stdout).toBe('');
  expect(run.stdout + run.stderr).not.toContain(bad.slice(4));
  // --json scripts get the error as JSON on stdout too.
  const json = await cli(['sync', account, '--wait', '--json'], as(bad));
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ error: { status: 401, code: 'UNAUTHENTICATED', message: 'The API token is unknown, revoked or expired' } });
  // Refused before a request: a usage error exits 2.
  expect((await cli(['sync', account, '--full', '--metrics', 'daily'], as(h.a.sync))).code).toBe(2);
  // No service there: exit 1, saying where it looked.
  const away = await cli(['accounts', '--url', 'http://127.0.0.1:9'], as(h.a.read));
  expect({ code: away.code, stderr: away.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('Cannot reach the service at http://127.0.0.1:9') });
});

test('the config file: a file others can read is refused with a clear message; mode 0600 works', async () => {
  const file = path.join(configDir, '.config', 'meta-orchestrator', 'config.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ url: h.url, token: h.a.read }));
  fs.chmodSync(file, 0o644);
  // No token in the environment: the CLI reads the default file under $HOME.
  const refused = await cli(['accounts'], { META_ORCHESTRATOR_URL: '' });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(`error: The config file ${file} is readable by others (mode 0644); it holds an API token: run \`chmod 600 ${file}\`\n`);
  expect(refused.stderr).not.toContain(h.a.read);
  fs.chmodSync(file, 0o600);
  const ok = await cli(['accounts', '--json'], { META_ORCHESTRATOR_URL: '' });
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout).data.map((a: { id: string }) => a.id)).toEqual([account]);
});

test('`npm run token:create` makes an operator token (and its company) the CLI then uses; a bad --expires-at is refused', async () => {
  const run = (args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/main/token-create.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: configDir, DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  const company = randomUUID();
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  const created = await run(['--company', company, '--company-name', 'Host operators', '--scopes', 'operator', '--expires-at', expiresAt]);
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^mao_[A-Za-z0-9_-]{43}$/);
  expect(created.stderr).toContain(`for company ${company} with scopes operator`);
  expect((await h.database.db.apiToken.findFirstOrThrow({ where: { companyId: company } })).expiresAt?.toISOString()).toBe(expiresAt);
  const listed = JSON.parse((await cli(['companies', '--json', '--limit', '200'], as(token))).stdout);
  expect(listed.data).toEqual(expect.arrayContaining([expect.objectContaining({ id: company, name: 'Host operators', status: 'active' })]));

  const refused = await run(['--company', randomUUID(), '--scopes', 'read', '--expires-at', '2020-01-01T00:00:00Z']);
  expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
  expect(refused.stderr).toContain('--expires-at: expiresAt must be in the future');
});

test('companies: an operator lists, creates and renames companies and gives one a token; a company token is told it lacks the scope', async () => {
  const created = await cli(['companies', 'create', 'Acme', '--json'], as(operator));
  expect(created.code).toBe(0);
  const company = JSON.parse(created.stdout);
  expect((await cli(['companies', 'rename', company.id, 'Acme Ltd'], as(operator))).stdout).toMatch(/name +Acme Ltd/);
  const listed = await cli(['companies'], as(operator));
  expect(listed.stdout).toMatch(new RegExp(`${company.id} +Acme Ltd +active`));
  expect(listed.stdout).toContain(COMPANY_A);
  const token = await cli(['companies', 'token', company.id, '--name', 'first admin', '--scopes', 'admin'], as(operator));
  expect(token.stdout).toMatch(/token \(shown once, store it now\): mao_/);
  const denied = await cli(['companies'], as(h.a.admin));
  expect({ code: denied.code, stderr: denied.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/^error: This API token lacks the "operator" scope \(FORBIDDEN, HTTP 403/) });
});
