import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { bearer, COMPANY_A, createHarness, SIM_TOKEN, type Harness } from '../api/support/harness';

/**
 * `npm run mcp:stdio` as a desktop client runs it: a child process spoken to with the SDK's own
 * Client over StdioClientTransport, against the test database, Temporal and the simulator; the
 * real worker runs in this process. (With a running `npm start` and nothing but DATA_DIR, see
 * test/foundation/npm-start.test.ts.)
 */
const ROOT = path.resolve(__dirname, '../..');
// The npm script's command, without npm.
const ENTRY = ['--import', 'tsx', 'src/main/mcp-stdio.ts'];

let h: Harness;
let account: string;

function serverEnv(token: string | undefined): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: h.database.url,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS ?? '',
    TEMPORAL_TASK_QUEUE: h.temporal.taskQueue,
    META_GRAPH_URL: h.simulator.url,
    DATA_DIR: h.dataDir,
    LOG_LEVEL: 'silent',
  };
  if (token !== undefined) env.META_ORCHESTRATOR_TOKEN = token;
  return env;
}

/** Runs the entrypoint to its end (it should not serve): exit code, stdout and stderr. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ENTRY, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: child.exitCode ?? (error as { code?: number } | null)?.code ?? null, stdout, stderr });
    });
    child.stdin?.end();
  });
}

beforeAll(async () => {
  h = await createHarness();
  account = h.simulatorAccounts[0];
  expect((await h.inject({ method: 'POST', url: '/v1/ad-accounts', headers: bearer(h.a.write), payload: { adAccountId: account, accessToken: SIM_TOKEN } })).statusCode).toBe(201);
});
afterAll(async () => h?.close());

test('the SDK client lists tools, reads, starts a real sync and follows it to completion; stdout carries JSON-RPC only', async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: ENTRY, cwd: ROOT, env: serverEnv(h.a.sync), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  // A non-JSON line on stdout would surface here as a parse error.
  const transportErrors: Error[] = [];
  client.onerror = (error) => transportErrors.push(error);
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['list_ad_accounts', 'start_full_sync', 'get_workflow_status']));

    const accounts = (await client.callTool({ name: 'list_ad_accounts', arguments: {} })) as CallToolResult;
    expect(accounts.structuredContent).toMatchObject({ data: [{ id: account, companyId: COMPANY_A, status: 'connected' }], nextCursor: null });

    const started = (await client.callTool({ name: 'start_full_sync', arguments: { adAccountId: account } })) as CallToolResult;
    expect(started.isError).toBeFalsy();
    expect(started.structuredContent).toEqual({ workflowId: `meta-full-sync:${account}`, runId: expect.any(String), attached: false, covers: { kind: 'full', summary: expect.any(String) } });
    let status: Record<string, unknown> = { status: 'RUNNING' };
    for (let i = 0; i < 100 && status.status === 'RUNNING'; i++) {
      status = ((await client.callTool({ name: 'get_workflow_status', arguments: { workflowId: `meta-full-sync:${account}` } })) as CallToolResult).structuredContent as Record<string, unknown>;
      if (status.status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(status).toMatchObject({ status: 'COMPLETED', progress: { phase: 'done' } });
    // The token's company holds over stdio too: the global schedules are an operator's, not this company's.
    const forbidden = (await client.callTool({ name: 'pause_schedule', arguments: { scheduleId: 'meta-retention-schedule' } })) as CallToolResult;
    expect(forbidden.isError).toBe(true);
    expect(JSON.parse((forbidden.content[0] as { text: string }).text).error.code).toBe('NOT_FOUND');
    expect(transportErrors).toEqual([]);
  } finally {
    await client.close();
  }
  expect(stderr).not.toContain(h.a.sync);
});

test.each([
  ['missing', undefined, /META_ORCHESTRATOR_TOKEN is required/],
  ['malformed', 'not-a-token', /META_ORCHESTRATOR_TOKEN: expected an API token/],
  ['unknown', `mao_${'x'.repeat(43)}`, /unknown, revoked or expired/],
])('META_ORCHESTRATOR_TOKEN %s: the process ends before serving, with the reason on stderr and nothing on stdout', async (_case, token, message) => {
  const result = await runToExit(serverEnv(token));
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/^mcp:stdio failed: /m);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
  if (token) expect(result.stderr).not.toContain(token);
});

test('without DATABASE_URL and no `npm start` running on its DATA_DIR, the process says what to start or set', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-stdio-alone-'));
  try {
    const result = await runToExit({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', META_ORCHESTRATOR_TOKEN: `mao_${'x'.repeat(43)}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`mcp:stdio failed: DATABASE_URL is not set: no \`npm start\` is running with DATA_DIR=${dataDir}`);
    expect(result.stderr).toContain('or set DATABASE_URL and TEMPORAL_ADDRESS');
    expect(result.stdout).toBe('');
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
