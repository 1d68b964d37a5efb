/**
 * Every line an operator reads in the Temporal UI about our workflows, worded in one place: the
 * one-line `staticSummary` of each start (the workflow list), its markdown `staticDetails` (the
 * workflow page), and the summaries of activities and timers (the event history and timeline).
 * Used by the start builders (domain/starts/, so by the fronts, the schedules and parent
 * workflows) and by workflow code: pure, no clock, no I/O. Names are Meta's or the company's
 * own, never a token; each goes through {@link summaryText} so it stays one plain line.
 */
import type { CompanySyncKind } from './contracts/company-sync';
import type { MetricLevel, MetricsGrain, RollupGrain } from './vocabulary';

/** Who a workflow runs for, by id and (when the starter looked them up) by name. */
export interface SummaryNames {
  companyId: string;
  /** The company's name; the details then read "Name (id)". */
  companyName?: string | null;
  adAccountId?: string;
  /** The account's name; the summary then reads "Name (act_…)". */
  accountName?: string | null;
}

const MAX_NAME_LENGTH = 80;

/**
 * A name as one safe summary line: whitespace (newlines included) collapsed, markdown emphasis
 * and link characters dropped, long names cut.
 */
export function summaryText(name: string): string {
  const line = name.replace(/[\s]+/g, ' ').replace(/[*_`[\]<>#|]/g, '').trim();
  return line.length > MAX_NAME_LENGTH ? `${line.slice(0, MAX_NAME_LENGTH - 1)}…` : line;
}

/** "Sim Account 1 (act_1)" when the name is known, else "act_1". */
export function accountLabel(ref: { adAccountId: string; accountName?: string | null }): string {
  const name = ref.accountName ? summaryText(ref.accountName) : '';
  return name ? `${name} (${ref.adAccountId})` : ref.adAccountId;
}

/** "Demo company (uuid)" when the name is known, else "company uuid". */
export function companyLabel(ref: { companyId: string; companyName?: string | null }): string {
  const name = ref.companyName ? summaryText(ref.companyName) : '';
  return name ? `${name} (${ref.companyId})` : `company ${ref.companyId}`;
}

/** The names part of a memo: only those known, cleaned like a summary. */
export function namesMemo(names: SummaryNames): Record<string, string> {
  const memo: Record<string, string> = {};
  const company = names.companyName ? summaryText(names.companyName) : '';
  const account = names.accountName ? summaryText(names.accountName) : '';
  if (company) memo.companyName = company;
  if (account) memo.accountName = account;
  return memo;
}

/** "HH:MM UTC" of an ISO instant or epoch ms (a timer's end, read by a person). */
export function clockTime(at: string | number): string {
  const date = new Date(typeof at === 'number' ? at : Date.parse(at));
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(11, 16)} UTC`;
}

/** "2026-11-02 → 2026-11-08", or the one day. */
export function dayRange(from: string, to: string): string {
  return from === to ? from : `${from} → ${to}`;
}

/**
 * The markdown `staticDetails` of a start: what runs, for whom (company and account by name and
 * id), and what the job does, one line each.
 */
export function startDetails(title: string, names: SummaryNames, lines: readonly string[] = []): string {
  const who = [`Company: **${companyLabel(names)}**`];
  if (names.adAccountId) who.push(`Ad account: **${accountLabel({ adAccountId: names.adAccountId, accountName: names.accountName })}**`);
  return [`### ${title}`, '', ...who.map((line) => `- ${line}`), ...lines.map((line) => `- ${line}`)].join('\n');
}

const GRAIN_TITLE: Record<MetricsGrain, string> = { daily: 'Daily', hourly: 'Hourly' };
const ROLLUP_WHAT: Record<RollupGrain, string> = { daily: 'hourly → daily', monthly: 'daily → monthly' };
const ROLLUP_TITLE: Record<RollupGrain, string> = { daily: 'Daily', monthly: 'Monthly' };

/** The one-line `staticSummary` of each workflow start. */
export const workflowSummaries = {
  fullSync: (ref: { adAccountId: string; accountName?: string | null }): string => `Full sync of ${accountLabel(ref)}`,

  incrementalSync: (ref: { adAccountId: string; accountName?: string | null }, overlapSeconds?: number): string =>
    `Incremental sync of ${accountLabel(ref)}${overlapSeconds !== undefined ? `, overlap ${overlapSeconds} s` : ''}`,

  /**
   * "Daily metrics of Sim Account 1 (act_1), 2026-11-02 → 2026-12-01, windows 7d_click, 1d_view".
   * `range` is the resolved days when the starter knows them, else what the run will resolve.
   */
  metricsSync: (ref: { adAccountId: string; accountName?: string | null }, grain: MetricsGrain, range: string, windows: readonly string[]): string =>
    `${GRAIN_TITLE[grain]} metrics of ${accountLabel(ref)}, ${range}, windows ${windows.join(', ')}`,

  companySync: (names: { companyId: string; companyName?: string | null }, kinds: readonly CompanySyncKind[], maxParallel: number): string =>
    `Company sync of ${companyLabel(names)}: ${kinds.join(', ')}, ${maxParallel} account(s) at once`,

  changeSet: (
    ref: { adAccountId: string; accountName?: string | null },
    change: { kind: 'create' | 'update'; itemCount: number; dailyBudgetDelta?: Record<string, string>; objectsTurnedOn?: number; objectsTurnedOff?: number; ruleName?: string },
  ): string => {
    const n = change.itemCount;
    const parts = [`${change.kind === 'create' ? 'Create' : 'Change'} ${n} object${n === 1 ? '' : 's'} of ${accountLabel(ref)}`];
    for (const [currency, delta] of Object.entries(change.dailyBudgetDelta ?? {})) {
      if (!/^-?0(\.0+)?$/.test(delta)) parts.push(`daily budgets ${delta.startsWith('-') ? '' : '+'}${delta} ${currency}`);
    }
    if (change.objectsTurnedOn) parts.push(`${change.objectsTurnedOn} turned on`);
    if (change.objectsTurnedOff) parts.push(`${change.objectsTurnedOff} turned off`);
    if (change.ruleName) parts.push(`by rule "${summaryText(change.ruleName)}"`);
    return parts.join(', ');
  },

  rollupBackfill: (input: { grain: RollupGrain; from: string; to: string; accounts: number } & SummaryNames): string =>
    `${ROLLUP_TITLE[input.grain]} rollup (${ROLLUP_WHAT[input.grain]}) ${input.from} → ${input.to} of ` +
    `${input.adAccountId ? accountLabel({ adAccountId: input.adAccountId, accountName: input.accountName }) : companyLabel(input)} (${input.accounts} account(s))`,

  scheduledRollup: (grain: RollupGrain): string => `Scheduled ${grain} rollup (${ROLLUP_WHAT[grain]}) of every account, window from the scheduled time`,

  retention: (hourlyRetentionDays: number): string => `Hourly retention: deletes hourly metrics older than ${hourlyRetentionDays} days once daily rows cover them`,

  manualRuleEvaluation: (rule: { ruleName: string; adAccountId: string; accountName?: string | null }, asOf: string): string =>
    `Rule "${summaryText(rule.ruleName)}" on ${accountLabel(rule)}, evaluated by hand as of ${asOf}`,

  scheduledRuleEvaluation: (rule: { ruleName: string; adAccountId: string; accountName?: string | null }): string =>
    `Rule "${summaryText(rule.ruleName)}" on ${accountLabel(rule)}, scheduled evaluation`,

  ruleBacktest: (rule: { ruleName: string; adAccountId: string; accountName?: string | null }, from: string, to: string): string =>
    `Backtest of rule "${summaryText(rule.ruleName)}" on ${accountLabel(rule)}, ${from} → ${to} (writes nothing to Meta)`,
};

/** What each job does, for the details of its start (one markdown line each). */
export const workflowDetails = {
  fullSync: [
    'Reads the account, campaigns, ad sets, ads, creatives, audiences, pixels, pages, lead forms, leads, Instagram accounts and catalogs, archived and deleted included',
    'Objects a completed read did not return are soft-deleted',
  ],
  incrementalSync: ['Reads campaigns, ad sets and ads updated since the stored cursors (minus an overlap), recording every changed field'],
  metricsSync: (grain: MetricsGrain, windows: readonly string[]): string[] => [
    `Reads ${grain} insights at account, campaign, ad set and ad level, attribution windows ${windows.join(', ')}`,
    'Checkpoints each finished local day: a failed run resumes at the first unfinished one',
  ],
  companySync: (kinds: readonly CompanySyncKind[]): string[] => [`Runs ${kinds.join(', ')} for every connected ad account, each a child workflow named after its account`],
  changeSet: ['Waits for a confirm (the `confirm` update) until the plan expires, then sends the changes to Meta chunk by chunk'],
};

/** Summaries of activities (the history's ActivityTaskScheduled events). */
export const activitySummaries = {
  readAccount: (adAccountId: string): string => `Reading ad account ${adAccountId} from Meta`,
  syncEntities: (entities: readonly string[], mode: 'full' | 'incremental', since?: string): string =>
    `Reading ${entities.join(', ')} from Meta${mode === 'incremental' && since ? ` updated after ${since}` : mode === 'full' ? ' (all statuses)' : ''}`,
  planMetrics: (grain: MetricsGrain): string => `Planning the days of ${grain} metrics to read (checkpoints, lookback)`,
  checkpointDays: (since: string, until: string): string => `Marking ${dayRange(since, until)} done: a retried run resumes after them`,
  listCampaignsForSplit: (): string => "Listing the account's campaigns to split a report Meta could not run",
  insightsChunk: (grain: MetricsGrain | 'monthly', since: string, until: string, levels: readonly MetricLevel[]): string =>
    `Reading ${grain} insights ${dayRange(since, until)} (${levels.join(', ')}) page by page`,
  startReports: (since: string, until: string, jobs: number): string => `Starting ${jobs} async report(s) at Meta for ${dayRange(since, until)}`,
  pollReports: (runs: number): string => `Asking Meta how ${runs} report run(s) are doing`,
  readReports: (runs: number): string => `Reading the results of ${runs} finished report run(s)`,
  listCompanyAccounts: (): string => "Listing the company's connected ad accounts",
  rollupLevel: (grain: RollupGrain, level: MetricLevel, window: string): string => `Recomputing ${grain} ${level} metrics ${window} from the finer grain (one SQL statement)`,
  retention: (cutoffDate: string): string => `Deleting hourly metrics before ${cutoffDate} that daily rows cover`,
  evaluateRule: (asOf: string): string => `Evaluating the rule over the stored metrics as of ${asOf}`,
  deliverWebhook: (): string => "POSTing the rule's notice to its webhook (signed, retried while the receiver is down)",
  storeRuleChangeSet: (): string => "Storing the rule's changes as one change set, checked against the account's caps",
  settleRuleExecution: (): string => "Recording what the rule's execution applied (its cooldown follows it)",
  backtest: (from: string, to: string): string => `Replaying the rule's ticks ${from} → ${to} over the stored metrics (writes nothing to Meta)`,
  applyChangeSet: (maxChunks: number, settleOnly = false): string =>
    settleOnly ? 'Settling changes in flight by reading them from Meta' : `Sending up to ${maxChunks} chunk(s) of changes to Meta`,
};

/** Summaries of durable timers (the history's TimerStarted events). */
export const timerSummaries = {
  reportPoll: (runs: number, delayMs: number): string => `Waiting for Meta's report (${runs} run(s)), next check in ${Math.round(delayMs / 1000)} s`,
  confirmWindow: (expiresAt: string): string => `Waiting for a confirm until ${clockTime(expiresAt)}`,
  objectLimit: (until: string): string => `Waiting out Meta's per-object limit until ${clockTime(until)}`,
};
