import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { adAccountIdSchema, metaObjectIdSchema } from '../operations/schemas/common';

/**
 * Prompts for the common jobs: each names the tools to call, in order, with their arguments, so
 * an agent does the job the way the service is meant to be used (fresh metrics first, reports
 * rather than raw rows, preview then confirm for any write). They read nothing themselves.
 */

/** Prompt arguments are strings on the wire: a number of days as text. */
const daysSchema = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'a whole number of days')
    .refine((v) => Number(v) >= 1 && Number(v) <= max, `between 1 and ${max}`)
    .optional()
    .describe(`Days to look back (default ${fallback})`);

/** The same preamble for every prompt: the account's facts, and metrics that are fresh. */
function freshMetricsSteps(adAccountId: string): string[] {
  return [
    `get_ad_account {"adAccountId": "${adAccountId}"}: note its currency and time zone (every figure is in that currency; days are the account's local days) and lastMetricsSyncAt.`,
    `If lastMetricsSyncAt is null or older than a few hours: start_metrics_sync {"adAccountId": "${adAccountId}", "grain": "daily", "waitSeconds": 50}. While it answers status RUNNING, call get_workflow_status {"workflowId": <its workflowId>, "waitSeconds": 50} until COMPLETED; progress.work says days done of total. If it FAILED, report its failure message and stop.`,
  ];
}

function userMessage(title: string, steps: string[], closing: string[]): GetPromptResult {
  const text = [title, '', 'Steps (call the tools exactly as named):', ...steps.map((step, i) => `${i + 1}. ${step}`), '', ...closing].join('\n');
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}

/** Registers the prompts on one server. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'weekly_performance_review',
    {
      title: 'Weekly performance review',
      description: "Last week's spend, results, cost per result and ROAS of an ad account by campaign, against the week before, with the biggest movers.",
      argsSchema: { adAccountId: adAccountIdSchema.describe('The ad account, act_<digits>'), level: z.enum(['campaign', 'adset', 'ad']).optional().describe('Row level (default campaign)') },
    },
    ({ adAccountId, level }) => {
      const lvl = level ?? 'campaign';
      return userMessage(
        `Write a weekly performance review of ad account ${adAccountId}: the last 7 complete days against the 7 days before, at ${lvl} level.`,
        [
          ...freshMetricsSteps(adAccountId),
          `get_performance_report {"adAccountId": "${adAccountId}", "level": "${lvl}", "preset": "LAST_7D", "compareFrom": <first of the 7 days before>, "compareTo": <last of the 7 days before>, "sort": "-spend", "limit": 20}: rows with names, statuses, spend, results, cost per result, purchases, ROAS, and the totals row.`,
          `If get_performance_report is not among your tools: get_metrics {"adAccountId": "${adAccountId}", "level": "${lvl}", "grain": "daily", "from": ..., "to": ...} for each week (follow nextCursor to the end), sum spend, impressions and clicks per entity yourself, recompute ratios from the sums, and take names from list_campaigns / list_ad_sets / list_ads.`,
        ],
        [
          'Answer with: the totals of both weeks and their change in percent; the three biggest improvements and the three biggest declines (by spend and cost per result); anything spending with no results; and at most three recommendations.',
          'Say which currency and attribution windows the figures count. Change nothing: this is a review.',
        ],
      );
    },
  );

  server.registerPrompt(
    'find_wasted_spend',
    {
      title: 'Find wasted spend',
      description: 'Ad sets and ads of an ad account that spent over a period with no results, or at a cost per result far above the account average.',
      argsSchema: {
        adAccountId: adAccountIdSchema.describe('The ad account, act_<digits>'),
        days: daysSchema(14, 90),
        minSpend: z.string().regex(/^\d+(\.\d{1,2})?$/, 'an amount like 50 or 49.90').optional().describe('Ignore objects that spent less than this, in the account currency (default 0)'),
      },
    },
    ({ adAccountId, days, minSpend }) => {
      const n = Number(days ?? 14);
      const floor = minSpend ?? '0';
      return userMessage(
        `Find wasted spend in ad account ${adAccountId} over the last ${n} days: objects that spent at least ${floor} with no results, or at more than twice the account's cost per result.`,
        [
          ...freshMetricsSteps(adAccountId),
          `get_performance_report {"adAccountId": "${adAccountId}", "level": "adset", "from": <${n} days ago>, "to": <yesterday>, "sort": "-spend", "limit": 100}, then the same with "level": "ad" for the ad sets you flag; the totals row gives the account's cost per result.`,
          `If get_performance_report is not among your tools: get_metrics {"adAccountId": "${adAccountId}", "level": "adset", "grain": "daily", "from": ..., "to": ...} (follow nextCursor to the end) and list_ad_sets {"adAccountId": "${adAccountId}"} for names and statuses.`,
          'Keep only ACTIVE objects that spent at least the floor; flag those with zero results, and those whose cost per result is more than twice the account\'s.',
        ],
        [
          'Answer with a table: object, status, spend, results, cost per result, and why it is flagged; then the total spend flagged.',
          `Change nothing. If the user wants to act, the next step is pause_objects {"adAccountId": "${adAccountId}", "level": "adset", "ids": [...]} without confirm (a preview) for them to review, or the prepare_budget_change prompt.`,
        ],
      );
    },
  );

  server.registerPrompt(
    'prepare_budget_change',
    {
      title: 'Prepare a budget change for confirmation',
      description: 'Previews a budget change of campaigns or ad sets as a change set, explains it, and waits for the user before confirming it.',
      argsSchema: {
        adAccountId: adAccountIdSchema.describe('The ad account, act_<digits>'),
        level: z.enum(['campaign', 'adset']).describe('Campaign budgets (CBO) or ad-set budgets'),
        ids: z.string().regex(/^\d{1,25}(,\d{1,25})*$/, 'comma-separated object ids').optional().describe('Comma-separated campaign or ad set ids (default: ask the user, or select them from a report)'),
        change: z.string().min(1).max(200).describe('The change, e.g. "+15%", "-20% with a floor of 10", or "50.00 daily"'),
      },
    },
    ({ adAccountId, level, ids, change }) => {
      const idList = ids ? ids.split(',').map((id) => metaObjectIdSchema.parse(id)) : [];
      const target = idList.length ? `"ids": ${JSON.stringify(idList)}` : '"ids": [<the ids the user chose>]';
      return userMessage(
        `Prepare this budget change for confirmation, in ad account ${adAccountId}: ${level === 'adset' ? 'ad set' : 'campaign'} budgets, ${change}.`,
        [
          `get_ad_account {"adAccountId": "${adAccountId}"}: the currency every amount is in.`,
          `${level === 'adset' ? 'list_ad_sets' : 'list_campaigns'} {"adAccountId": "${adAccountId}"}: the objects' names, statuses and current daily or lifetime budgets (an object without its own budget cannot take this change: say so).`,
          `bulk_update_budgets {"adAccountId": "${adAccountId}", "level": "${level}", ${target}, "dailyBudget": <an amount such as "50.00", or {"percent": 15, "floor": ..., "ceiling": ...}>} without confirm: a preview. Nothing is sent to Meta yet.`,
          'Read the preview: every item\'s old and new budget, the totals, violations (any violation blocks the confirm: explain it and stop) and requiresConfirmation. Show the user a table of old → new budgets and the change in daily spend, and the expiry of the plan.',
          'Ask the user to confirm. Only after an explicit yes: confirm_changes {"changeSetId": <from the preview>, "planHash": <from the preview>}.',
          'get_change_set {"changeSetId": ...} (or get_workflow_status {"workflowId": <from the confirm>, "waitSeconds": 30}) until it is completed; report items applied, deferred or failed.',
        ],
        ['Never call confirm_changes before the user said yes to this exact preview. If they want a different change, preview again: a new preview has a new planHash.'],
      );
    },
  );
}
