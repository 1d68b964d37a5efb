import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

const TemporalScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * The instant a run stands for: the schedule's `TemporalScheduledStartTime` (so late runs and
 * backfills compute the window they were scheduled for), else the workflow's start time.
 */
export function scheduledOrStartTime(): Date {
  const scheduled = workflowInfo().typedSearchAttributes.get(TemporalScheduledStartTime);
  return scheduled ?? workflowInfo().startTime;
}
