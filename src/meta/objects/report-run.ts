/** Async report run (AdReportRun): the fields polled, its statuses, the wire schema and the parser. */
import { z } from 'zod';
import { looseInt, looseString, metaId, parseWith } from '../wire-values';

export const REPORT_RUN_FIELDS = [
  'id', 'account_id', 'async_status', 'async_percent_completion', 'date_start', 'date_stop', 'time_ref', 'is_running',
  'error_code', 'error_subcode', 'error_message', 'error_user_title', 'error_user_msg',
] as const;

/** `async_status` values of an AdReportRun. */
export const AsyncReportStatus = {
  NotStarted: 'Job Not Started',
  Started: 'Job Started',
  Running: 'Job Running',
  Completed: 'Job Completed',
  Failed: 'Job Failed',
  Skipped: 'Job Skipped',
} as const;
export type AsyncReportStatus = (typeof AsyncReportStatus)[keyof typeof AsyncReportStatus];

const reportRunSchema = z.looseObject({
  id: metaId,
  account_id: metaId.nullish(),
  async_status: z.string(),
  async_percent_completion: looseInt.nullish(),
  date_start: z.string().nullish(),
  date_stop: z.string().nullish(),
  is_running: z.boolean().nullish(),
  error_code: looseInt.nullish(),
  error_subcode: looseInt.nullish(),
  error_message: looseString.nullish(),
  error_user_title: looseString.nullish(),
  error_user_msg: looseString.nullish(),
});

/** An AdReportRun's state. */
export interface ReportRunRecord {
  id: string;
  status: AsyncReportStatus | string;
  percent: number;
  /** True once the run is Completed, Failed or Skipped. */
  done: boolean;
  dateStart: string | null;
  dateStop: string | null;
  /** Present for Failed runs when Meta says why (v25+ fields). */
  error?: { code?: number; subcode?: number; message?: string; userTitle?: string; userMessage?: string };
}

/** Parses `GET /<report_run_id>`. */
export function parseReportRun(raw: unknown): ReportRunRecord {
  const r = parseWith(reportRunSchema, 'report run', raw);
  const status = r.async_status;
  const terminal: string[] = [AsyncReportStatus.Completed, AsyncReportStatus.Failed, AsyncReportStatus.Skipped];
  const record: ReportRunRecord = {
    id: r.id,
    status,
    percent: r.async_percent_completion ?? 0,
    done: terminal.includes(status),
    dateStart: r.date_start ?? null,
    dateStop: r.date_stop ?? null,
  };
  if (r.error_code != null || r.error_message != null) {
    record.error = Object.fromEntries(
      Object.entries({
        code: r.error_code ?? undefined,
        subcode: r.error_subcode ?? undefined,
        message: r.error_message ?? undefined,
        userTitle: r.error_user_title ?? undefined,
        userMessage: r.error_user_msg ?? undefined,
      }).filter(([, v]) => v !== undefined),
    );
  }
  return record;
}
