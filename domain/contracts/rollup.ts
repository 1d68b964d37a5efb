/** Contract of the rollup (`rollupWorkflow`): hourly → daily and daily → monthly, set-based. */
import type { MetricLevel, RollupGrain } from '../vocabulary';

export interface RollupInput {
  grain: RollupGrain;
  /** Explicit window (local dates, inclusive). Without it the window comes from TemporalScheduledStartTime. */
  from?: string;
  to?: string;
  /** The accounts to recompute. @default every account (the schedules' runs); `[]` recomputes none */
  adAccountIds?: string[];
}

export interface RollupWorkflowInput extends RollupInput {
  /**
   * The instant the run stands for when no explicit from/to is given (ISO). Lets an operator
   * or a test replay "the run of 10:05" without a schedule.
   * @default the schedule's TemporalScheduledStartTime, else the workflow start time
   */
  asOf?: string;
}

/** The window a rollup recomputes. */
export type RollupWindow =
  | {
      /** Explicit account-local dates, inclusive (YYYY-MM-DD); monthly widens them to whole months. */
      from: string;
      to: string;
      adAccountIds?: string[];
    }
  | {
      /**
       * The instant a scheduled run stands for. Daily: the local dates that `asOf` and
       * `asOf` − 1 hour fall on in each account's time zone (the run after local midnight
       * finalizes yesterday). Monthly: the local month containing `asOf` − 1 day per account.
       */
      asOf: string;
      adAccountIds?: string[];
    };

/** What one level's rollup changed: rows written (inserted or changed) and stale rows deleted. */
export interface LevelRollupCounts {
  upserted: number;
  deleted: number;
  actionsUpserted: number;
  actionsDeleted: number;
}

export interface RollupResult {
  grain: RollupGrain;
  window: RollupWindow;
  levels: Record<MetricLevel, LevelRollupCounts>;
  totals: LevelRollupCounts;
}
