import { z } from 'zod';
import { adAccountRefInput } from '../../operations/schemas/ad-accounts';
import { dateSchema } from '../../operations/schemas/common';
import { companySyncStartView, startCompanySyncInput, syncStartView } from '../../operations/schemas/syncs';
import { startCompanySync, startSync } from '../../operations/syncs';
import type { ToolArea } from './tool-spec';
import { startedRun, startOutputOf, starts, waitSchema } from './workflow-starts';

const syncStartOutput = startOutputOf(syncStartView);

/** Starts of the durable syncs: one account (full, incremental, metrics) or a whole company. */
export const syncTools: ToolArea = (ctx, actor) => [
  {
    name: 'start_full_sync',
    title: 'Start a full sync',
    description: 'Starts a durable full sync of an ad account (every object), or returns the one already running (`attached: true`). Returns the workflow id at once; follow it with get_workflow_status.',
    input: adAccountRefInput.extend({ waitSeconds: waitSchema }),
    output: syncStartOutput,
    annotations: starts,
    run: startedRun(ctx, actor, (args) => startSync(ctx, actor, { ...args, kind: 'full' })),
  },
  {
    name: 'start_incremental_sync',
    title: 'Start an incremental sync',
    description: 'Starts a sync of what changed since the last one, or joins the one already running (`attached: true`); a longer overlap than the running one\'s is queued as its follow-up run (`covers.followUp`).',
    input: adAccountRefInput.extend({ overlapSeconds: z.number().int().min(0).max(86_400).optional(), waitSeconds: waitSchema }),
    output: syncStartOutput,
    annotations: starts,
    run: startedRun(ctx, actor, (args) => startSync(ctx, actor, { ...args, kind: 'incremental' })),
  },
  {
    name: 'start_metrics_sync',
    title: 'Start a metrics sync',
    description: 'Pulls insights (daily or hourly) for a local date range. When a pull of that account and grain is already running, the requested days are added to it (`attached: true`); `covers.days` lists every day the run will read.',
    input: adAccountRefInput.extend({ grain: z.enum(['daily', 'hourly']), from: dateSchema.optional(), to: dateSchema.optional(), waitSeconds: waitSchema }),
    output: syncStartOutput,
    annotations: starts,
    run: startedRun(ctx, actor, (args) => startSync(ctx, actor, { ...args, kind: 'metrics' })),
  },
  {
    name: 'start_company_sync',
    title: 'Start a company sync',
    description:
      'Syncs every connected ad account of your company, a few at a time. When the company sync is already running the request joins it (`attached: true`) and the run adds the kinds it does not run yet and the accounts connected since it started; `covers.kinds` and `covers.accounts` say what the run will sync.',
    input: startCompanySyncInput.omit({ companyId: true }).extend({ waitSeconds: waitSchema }),
    output: startOutputOf(companySyncStartView),
    annotations: starts,
    run: startedRun(ctx, actor, (args) => startCompanySync(ctx, actor, args)),
  },
];
