/**
 * Screenshots of the Temporal UI for docs/: the workflow list (with the project's search
 * attributes as columns) and one metrics sync's page, its timeline (activity and timer
 * summaries) and its User Metadata tab (the start's summary and details). Taken with headless
 * Chromium (scripts/headless-chromium.ts) from a running service, e.g. `npm start` in demo mode
 * once its first company sync has finished:
 *
 *   npm run screenshots
 * Env: the service's own (TEMPORAL_ADDRESS or TEMPORAL_DEV_PORT, TEMPORAL_UI_URL or
 *      TEMPORAL_UI_PORT, TEMPORAL_NAMESPACE), SCREENSHOTS_DIR (docs), CHROMIUM_PATH (/usr/bin/chromium).
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { HeadlessChromium } from './headless-chromium';

const config = loadConfig(process.env);
const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
const uiUrl = (config.temporal.uiUrl ?? `http://127.0.0.1:${config.temporal.uiPort}`).replace(/\/$/, '');
const namespace = config.temporal.namespace;
const outDir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'docs');

/** The list's columns: what runs (type, kind) for which account, by the project's search attributes. */
const LIST_COLUMNS = ['Status', 'Workflow ID', 'WorkflowKind', 'AdAccountId', 'Type'];

interface Pick {
  workflowId: string;
  runId: string;
  summary: string;
}

/** The newest completed daily metrics sync: its timeline has reports, polling timers and reads. */
async function pickMetricsSync(client: Client): Promise<Pick> {
  for await (const execution of client.workflow.list({ query: `WorkflowKind = "metrics-sync" AND ExecutionStatus = "Completed"` })) {
    if (!execution.workflowId.endsWith(':daily')) continue;
    const summary = await (await client.workflow.getHandle(execution.workflowId, execution.runId).describe()).staticSummary();
    if (summary) return { workflowId: execution.workflowId, runId: execution.runId, summary };
  }
  throw new Error(`No completed daily metrics sync with a summary on ${address}: start the service (npm start) and let its first sync finish`);
}

async function main(): Promise<void> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const browser = await HeadlessChromium.launch({ width: 1800, height: 900 });
  try {
    const run = await pickMetricsSync(client);
    const page = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}`;

    // The UI keeps its list columns in localStorage, per namespace.
    await browser.goto(`${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows`);
    await browser.evaluate(`localStorage.setItem('namespace-workflow-table-columns', ${JSON.stringify(JSON.stringify({ [namespace]: LIST_COLUMNS.map((label) => ({ label })) }))})`);
    await browser.goto(`${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows`);
    await browser.waitForText([run.workflowId, 'WorkflowKind', 'metrics-sync']);
    await settle();
    await browser.screenshot(path.join(outDir, 'temporal-ui-workflows.png'));

    await browser.resize(1600, 1300);
    await browser.goto(`${page}/timeline`);
    await browser.waitForText(["Waiting for Meta's report", 'Starting']);
    await settle();
    await browser.screenshot(path.join(outDir, 'temporal-ui-workflow-timeline.png'));

    await browser.resize(1600, 850);
    await browser.goto(`${page}/user-metadata`);
    await browser.waitForText([run.summary.slice(0, 40), 'Company:']);
    await settle();
    await browser.screenshot(path.join(outDir, 'temporal-ui-workflow-summary.png'));
    console.log(`screenshots of ${uiUrl} (workflow ${run.workflowId}) written to ${path.relative(process.cwd(), outDir) || '.'}/temporal-ui-*.png`);
  } finally {
    await browser.close();
    await connection.close();
  }
}

/** Lets the UI finish its transitions (fading skeletons, the timeline's layout) before a capture. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1_500));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
