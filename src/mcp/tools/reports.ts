import { getPerformanceReport, getPerformanceSeries } from '../../operations/reports';
import { performanceReportInput, performanceReportView, performanceSeriesInput, performanceSeriesView } from '../../operations/schemas/reports';
import { readOnly, type ToolArea } from './tool-spec';

/** Performance reports and time series: the questions an agent asks about spend and results. */
export const reportTools: ToolArea = (ctx, actor) => [
  {
    name: 'get_performance_report',
    title: 'Get a performance report',
    description:
      "Figures of an ad account's campaigns, ad sets, ads or the account itself over a period: a Meta preset (LAST_7D = the 7 days ending yesterday, in the account's time zone) or from/to local days, optionally against compareFrom/compareTo. " +
      'Metrics: spend, impressions, reach, clicks, ctr (percent), cpc, cpm, frequency, results and costPerResult (what each object\'s optimization goal counts), purchases, purchaseValue, roas, leads, costPerLead, or action:<type>. ' +
      'Sorted by any metric ("-spend" = most spend first), top N with `limit`, totals over all matching objects. Money is a decimal string in major units of the account currency; `units` says what each figure is and its attribution window; `notes` say why a figure is null.',
    input: performanceReportInput,
    output: performanceReportView,
    annotations: readOnly,
    run: (args) => getPerformanceReport(ctx, actor, args),
  },
  {
    name: 'get_performance_series',
    title: 'Get a performance time series',
    description:
      'The same figures as get_performance_report, summed over the matching objects of a level, one row per local day, week (Monday first) or month of the period: for charting a trend. Filter with ids, statuses or nameContains to follow one object.',
    input: performanceSeriesInput,
    output: performanceSeriesView,
    annotations: readOnly,
    run: (args) => getPerformanceSeries(ctx, actor, args),
  },
];
