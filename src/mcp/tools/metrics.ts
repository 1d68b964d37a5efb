import { getMetrics } from '../../operations/metrics';
import { pageOf } from '../../operations/schemas/common';
import { getMetricsInput, metricRowView } from '../../operations/schemas/metrics';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Metric rows by level, entity, grain and local date range. */
export const metricTools: ToolArea = (ctx, actor) => [
  {
    name: 'get_metrics',
    title: 'Get metrics',
    description: `Metrics of an ad account by level (account, campaign, adset, ad), entity, grain (hourly, daily, monthly) and local date range. Money is a decimal string in major units; reach only when Meta reported it at that grain. ${pageNote}`,
    input: getMetricsInput,
    output: pageOf(metricRowView),
    annotations: readOnly,
    run: (args) => getMetrics(ctx, actor, args),
  },
];
