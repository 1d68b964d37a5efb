import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getPerformanceReport, getPerformanceSeries } from '../../operations/reports';
import { performanceReportInput, performanceReportView, performanceSeriesInput, performanceSeriesView } from '../../operations/schemas/reports';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { reportCsv, seriesCsv } from '../report-csv';
import { errorResponses, security } from './schemas';

/** Whether the caller asked for CSV (`Accept: text/csv`) rather than JSON. */
function wantsCsv(request: FastifyRequest): boolean {
  return /(^|,)\s*text\/csv\b/i.test(request.headers.accept ?? '');
}

function sendCsv(reply: FastifyReply, name: string, body: NodeJS.ReadableStream): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);
}

/** Performance reports and their time series, as JSON or (Accept: text/csv) streamed CSV. */
export async function reportRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reports'];

  r.get(
    '/reports/performance',
    {
      schema: {
        tags,
        security,
        summary: "Performance report: one row per campaign, ad set, ad or the account over a period (a Meta preset in the account's time zone, or local days), with an optional comparison period, top N by any metric, and totals; CSV with Accept: text/csv",
        querystring: performanceReportInput,
        response: { 200: performanceReportView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await getPerformanceReport(ctx, actorOf(request), request.query);
      return wantsCsv(request) ? sendCsv(reply, `performance-${report.level}-${report.period.from}-${report.period.to}`, reportCsv(report)) : report;
    },
  );
  r.get(
    '/reports/performance/series',
    {
      schema: {
        tags,
        security,
        summary: 'Performance time series: the same figures per local day, week or month of a period, over the matching objects of a level, for charting; CSV with Accept: text/csv',
        querystring: performanceSeriesInput,
        response: { 200: performanceSeriesView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const series = await getPerformanceSeries(ctx, actorOf(request), request.query);
      return wantsCsv(request) ? sendCsv(reply, `performance-series-${series.grain}-${series.period.from}-${series.period.to}`, seriesCsv(series)) : series;
    },
  );
}
