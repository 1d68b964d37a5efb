/** Contract of the retention workflow (`retentionWorkflow`): drops hourly rows that daily rows cover. */

export interface RetentionInput {
  /** Hourly rows older than this many days are deleted once daily rows cover them. @default 7 */
  hourlyRetentionDays?: number;
  /** Reference instant; without it the schedule's TemporalScheduledStartTime. */
  asOf?: string;
}

export interface RetentionResult {
  cutoffDate: string;
  deletedHourlyRows: number;
  deletedHourlyActionRows: number;
  keptUncoveredDays: number;
}
