import { z } from 'zod';
import { runRollup } from '../../operations/rollups';
import { adAccountIdSchema, dateSchema } from '../../operations/schemas/common';
import type { ToolArea } from './tool-spec';
import { startedRun, startOutput, starts, waitSchema } from './workflow-starts';

/** Rollups recomputed on demand (schedules run them on their own). */
export const rollupTools: ToolArea = (ctx, actor) => [
  {
    name: 'run_rollup',
    title: 'Run a rollup',
    description: 'Recomputes daily (from hourly) or monthly (from daily) rollups for a date window of your ad accounts.',
    input: z.strictObject({ grain: z.enum(['daily', 'monthly']), from: dateSchema, to: dateSchema, adAccountId: adAccountIdSchema.optional(), waitSeconds: waitSchema }),
    output: startOutput,
    annotations: starts,
    run: startedRun(ctx, actor, (args) => runRollup(ctx, actor, args)),
  },
];
