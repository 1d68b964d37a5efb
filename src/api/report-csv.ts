import { Readable } from 'node:stream';
import type { PerformanceReportView, PerformanceSeriesView } from '../operations/reports';

/**
 * Reports as CSV (RFC 4180: comma-separated, CRLF, quotes doubled), streamed one line at a time
 * so a report of tens of thousands of rows is never one string in memory. The columns are the
 * JSON fields flattened: `row` says whether a line is an object (or bucket) or the totals, then
 * the object's fields, each metric, and with a comparison `compare_<metric>` and
 * `change_pct_<metric>` (percent).
 */

/** One CSV field: quoted when it holds a comma, a quote or a line break (or starts like a formula). */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: quote and prefix it.
  const guarded = /^[=+@\t\r]/.test(text) || (/^-/.test(text) && !/^-\d/.test(text)) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

const line = (fields: Array<string | number | null | undefined>): string => `${fields.map(csvField).join(',')}\r\n`;

/** The report as a stream of CSV lines: a header, one line per row, then the totals line. */
export function reportCsv(report: PerformanceReportView): Readable {
  const metrics = report.metrics;
  const compared = report.comparePeriod !== null;
  function* lines(): Generator<string> {
    yield line([
      'row', 'id', 'name', 'status', 'effectiveStatus', 'currency', 'resultType', ...metrics,
      ...(compared ? [...metrics.map((m) => `compare_${m}`), ...metrics.map((m) => `change_pct_${m}`)] : []),
    ]);
    const tail = (row: { metrics: Record<string, string | number | null>; compare: Record<string, string | number | null> | null; change: Record<string, string | number | null> | null }) => [
      ...metrics.map((m) => row.metrics[m]),
      ...(compared ? [...metrics.map((m) => row.compare?.[m]), ...metrics.map((m) => row.change?.[m])] : []),
    ];
    for (const row of report.data) yield line(['object', row.id, row.name, row.status, row.effectiveStatus, row.currency, row.resultType, ...tail(row)]);
    yield line(['total', null, null, null, null, report.totals.currency, null, ...tail(report.totals)]);
  }
  return Readable.from(lines());
}

/** The series as a stream of CSV lines: a header, one line per bucket, then the totals line. */
export function seriesCsv(series: PerformanceSeriesView): Readable {
  const metrics = series.metrics;
  function* lines(): Generator<string> {
    yield line(['row', 'bucketStart', 'bucketEnd', 'currency', ...metrics]);
    for (const row of series.data) yield line(['bucket', row.bucketStart, row.bucketEnd, row.currency, ...metrics.map((m) => row.metrics[m])]);
    yield line(['total', series.period.from, series.period.to, series.totals.currency, ...metrics.map((m) => series.totals.metrics[m])]);
  }
  return Readable.from(lines());
}
