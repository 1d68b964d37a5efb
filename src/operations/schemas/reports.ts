/**
 * Performance reports: one report operation (rows per object of a level, with totals) and its
 * time series (one row per day, week or month). Lists travel as comma-separated text in a query
 * string and as arrays over MCP; both are accepted.
 */
import { z } from 'zod';
import { daysBetween } from '../../../domain/calendar';
import { REPORT_PRESETS } from '../../../domain/report-periods';
import { adAccountIdSchema, checkRange, dateSchema, metaObjectIdSchema, statusFilterSchema } from './common';

/** Longest period (and comparison period) of one report, in days. */
export const REPORT_MAX_DAYS = 3700;

export const REPORT_METRICS = [
  'spend', 'impressions', 'reach', 'clicks', 'ctr', 'cpc', 'cpm', 'frequency', 'results', 'costPerResult',
  'purchases', 'purchaseValue', 'roas', 'leads', 'costPerLead',
] as const;
export type ReportMetricName = (typeof REPORT_METRICS)[number];
/** `action:<type>` (count), `actionValue:<type>` (money), `costPerAction:<type>` (money per action). */
export const ACTION_METRIC = /^(action|actionValue|costPerAction):([A-Za-z0-9_.:-]{1,120})$/;
export const DEFAULT_REPORT_METRICS: readonly string[] = ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm', 'results', 'costPerResult', 'purchases', 'purchaseValue', 'roas'];

const isMetric = (name: string) => (REPORT_METRICS as readonly string[]).includes(name) || ACTION_METRIC.test(name);
const metricList = `${REPORT_METRICS.join(', ')}, or action:<type>, actionValue:<type>, costPerAction:<type>`;

/** A list as an array or as comma-separated text (a query string), trimmed, without empties. */
function listOf(item: z.ZodType<string, string>, max: number) {
  return z
    .union([z.string().max(20_000), z.array(z.string().max(200)).max(max)])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter((part) => part.length > 0))
    .pipe(z.array(item).max(max));
}

const metricNameSchema = z.string().refine(isMetric, { message: `unknown metric: expected one of ${metricList}` });
const reportLevelSchema = z.enum(['account', 'campaign', 'adset', 'ad']);
const attributionWindowSchema = z
  .string()
  .regex(/^(value|\d{1,2}d_(click|view))$/, 'expected "value" (Meta\'s default attribution total) or a window such as 7d_click or 1d_view')
  .describe('Attribution window the action figures count: "value" (default) is Meta\'s default attribution total; any window the metrics sync stores (METRICS_ATTRIBUTION_WINDOWS) may be named');

const periodFields = {
  adAccountId: adAccountIdSchema,
  level: reportLevelSchema.default('campaign').describe('account, campaign, adset or ad'),
  preset: z.enum(REPORT_PRESETS).optional().describe('A Meta date preset in the ad account\'s time zone (LAST_7D: the 7 days ending yesterday); or give from and to'),
  from: dateSchema.optional().describe('First local day (YYYY-MM-DD) of the period, with "to"; or give preset'),
  to: dateSchema.optional().describe('Last local day of the period, included'),
  ids: listOf(metaObjectIdSchema.or(adAccountIdSchema), 500).optional().describe('Only these objects of the level (ids, comma-separated in a query string)'),
  statuses: listOf(statusFilterSchema, 20).optional().describe('Only objects whose effective status is one of these (ACTIVE, PAUSED, ...)'),
  nameContains: z.string().min(1).max(200).optional().describe('Only objects whose name contains this text (case-insensitive)'),
  metrics: listOf(metricNameSchema, 40)
    .optional()
    .describe(`Metrics to answer (default ${DEFAULT_REPORT_METRICS.join(', ')}); any of ${metricList}`),
  attributionWindow: attributionWindowSchema.default('value'),
};

type PeriodInput = { preset?: string; from?: string; to?: string; metrics?: string[] };

/** Exactly one of a preset or a from/to pair; a from/to pair in order and not too long. */
function checkPeriod(value: PeriodInput, ctx: z.RefinementCtx): void {
  if (value.preset !== undefined && (value.from !== undefined || value.to !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['preset'], message: 'give either "preset" or "from" and "to", not both' });
  } else if (value.preset === undefined && (value.from === undefined || value.to === undefined)) {
    ctx.addIssue({ code: 'custom', path: [value.from === undefined ? 'from' : 'to'], message: 'a period is required: "from" and "to" (YYYY-MM-DD), or "preset" (e.g. LAST_7D)' });
  } else checkRange(value, ctx, REPORT_MAX_DAYS);
  if (value.metrics !== undefined && value.metrics.length === 0) ctx.addIssue({ code: 'custom', path: ['metrics'], message: `name at least one metric: ${metricList}` });
}

export const performanceReportInput = z
  .strictObject({
    ...periodFields,
    compareFrom: dateSchema.optional().describe('First local day of a comparison period, with compareTo: each row then carries its figures and the change in percent'),
    compareTo: dateSchema.optional().describe('Last local day of the comparison period'),
    sort: z
      .string()
      .regex(/^-?[A-Za-z0-9_.:-]{1,140}$/, 'expected a metric name, "-" before it for descending (e.g. -spend)')
      .refine((value) => value.replace(/^-/, '') === 'name' || isMetric(value.replace(/^-/, '')), { message: `unknown sort metric: expected name or one of ${metricList}, "-" before it for descending` })
      .default('-spend')
      .describe('Metric to sort by, "-" before it for descending (default -spend); ties by id'),
    limit: z.coerce.number().int('limit must be a whole number').min(1).max(50_000).default(100).describe('Top N rows (1-50000, default 100); totals always cover every matching object'),
  })
  .superRefine((value, ctx) => {
    checkPeriod(value, ctx);
    if ((value.compareFrom === undefined) !== (value.compareTo === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.compareFrom === undefined ? 'compareFrom' : 'compareTo'], message: 'give both "compareFrom" and "compareTo", or neither' });
    } else if (value.compareFrom !== undefined && value.compareTo !== undefined && dateSchema.safeParse(value.compareFrom).success && dateSchema.safeParse(value.compareTo).success) {
      if (value.compareFrom > value.compareTo) ctx.addIssue({ code: 'custom', path: ['compareTo'], message: '"compareTo" must not be before "compareFrom"' });
      else if (daysBetween(value.compareFrom, value.compareTo) > REPORT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['compareTo'], message: `the comparison period may span at most ${REPORT_MAX_DAYS} days` });
    }
  });

export const performanceSeriesInput = z
  .strictObject({
    ...periodFields,
    grain: z.enum(['day', 'week', 'month']).default('day').describe('One row per local day, ISO week (Monday first) or calendar month; edge buckets are cut to the period'),
  })
  .superRefine(checkPeriod);

const figureSchema = z.union([z.string(), z.number()]).nullable();
/** Metric name → figure: counts as numbers, money and ratios as decimal strings, null when there is none. */
const figuresSchema = z.record(z.string(), figureSchema);

const unitSchema = z.object({
  unit: z.enum(['money', 'count', 'percent', 'ratio', 'money_per_action']).describe('money: decimal string in major units of `currency`; percent: 1.5 means 1.5%; ratio: a plain quotient (ROAS, frequency)'),
  currency: z.string().nullable(),
  attributionWindow: z.string().nullable().describe('The attribution window the figure counts (action figures); null for delivery figures'),
  description: z.string(),
});

const periodView = z.object({ from: z.string(), to: z.string(), preset: z.string().nullable(), days: z.number() });

const reportHeader = {
  adAccountId: z.string(),
  level: reportLevelSchema,
  currency: z.string().nullable(),
  timeZone: z.string(),
  period: periodView,
  metrics: z.array(z.string()),
  units: z.record(z.string(), unitSchema).describe('What each metric is: its unit, currency and attribution window'),
  attribution: z.object({
    window: z.string(),
    windows: z.array(z.string()).describe('The windows "value" adds up (the ones the metrics sync requests from Meta), or the one window named'),
    description: z.string(),
  }),
  notes: z.array(z.string()).describe('Why a figure is null (reach over several days, results of mixed goals, ...)'),
};

export const performanceRowView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  effectiveStatus: z.string().nullable(),
  currency: z.string().nullable(),
  resultType: z.string().nullable().describe('What "results" counts for this object: an action type, impressions or reach; null when its ad sets count different things'),
  metrics: figuresSchema,
  compare: figuresSchema.nullable().describe('The same figures over the comparison period'),
  change: figuresSchema.nullable().describe('Change against the comparison period, in percent (decimal strings), null where the comparison figure is 0 or missing'),
});

export const performanceReportView = z.object({
  ...reportHeader,
  comparePeriod: periodView.nullable(),
  sort: z.string(),
  limit: z.number(),
  data: z.array(performanceRowView),
  totals: z.object({
    objects: z.number().describe('How many objects matched (totals cover all of them, not only the top N)'),
    currency: z.string().nullable(),
    metrics: figuresSchema,
    compare: figuresSchema.nullable(),
    change: figuresSchema.nullable(),
  }),
});

export const performanceSeriesRowView = z.object({
  bucketStart: z.string().describe('First local day of the bucket (cut to the period)'),
  bucketEnd: z.string().describe('Last local day of the bucket (cut to the period)'),
  currency: z.string().nullable(),
  metrics: figuresSchema,
});

export const performanceSeriesView = z.object({
  ...reportHeader,
  grain: z.enum(['day', 'week', 'month']),
  data: z.array(performanceSeriesRowView),
  totals: z.object({ objects: z.number(), currency: z.string().nullable(), metrics: figuresSchema }),
});
