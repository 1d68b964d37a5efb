import { segment } from '../api-client';
import { UsageError } from '../cli-errors';
import { emit, fields, type Output } from '../output';
import { renderProgress, type WorkflowStatusBody } from '../progress-bar';
import { noMorePositionals, parseCommandArgs, positional, type Command, type CommandContext } from './command';

/** How often `--wait` asks for the workflow's status. */
const POLL_MS = 500;

/** `sync <account>`: starts a sync (or joins the running one) and, with --wait, follows it to the end. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'Start a sync of an ad account; --wait follows it with a progress bar',
  usage: [
    'sync <act_id> [--full | --incremental [--overlap-seconds <n>] | --metrics daily|hourly [--from YYYY-MM-DD] [--to YYYY-MM-DD]] [--wait]',
    '    (default --incremental; --wait exits 0 only when the sync completes)',
  ].join('\n'),
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.args, {
      full: { type: 'boolean' },
      incremental: { type: 'boolean' },
      metrics: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'overlap-seconds': { type: 'string' },
      wait: { type: 'boolean' },
    });
    const adAccountId = positional(positionals, 0, 'the ad account id (act_...)');
    noMorePositionals(positionals, 1);
    const kinds = [values.full && 'full', values.incremental && 'incremental', values.metrics !== undefined && 'metrics'].filter(Boolean);
    if (kinds.length > 1) throw new UsageError('give one of --full, --incremental, --metrics');
    const kind = kinds[0] || 'incremental';
    if (kind !== 'metrics' && (values.from !== undefined || values.to !== undefined)) throw new UsageError('--from and --to go with --metrics');
    if (kind !== 'incremental' && values['overlap-seconds'] !== undefined) throw new UsageError('--overlap-seconds goes with --incremental');
    if (kind === 'metrics' && values.metrics !== 'daily' && values.metrics !== 'hourly') throw new UsageError(`--metrics takes daily or hourly, not "${values.metrics}"`);
    let overlapSeconds: number | undefined;
    if (values['overlap-seconds'] !== undefined) {
      if (!/^\d+$/.test(values['overlap-seconds'])) throw new UsageError('--overlap-seconds must be a whole number');
      overlapSeconds = Number(values['overlap-seconds']);
    }
    const body = kind === 'metrics' ? { kind, grain: values.metrics, from: values.from, to: values.to } : kind === 'incremental' ? { kind, overlapSeconds } : { kind };

    const started = await ctx.api.post(`/v1/ad-accounts/${segment(adAccountId)}/syncs`, body);
    if (!values.wait) {
      emit(ctx.out, started, (s) => fields([['workflow', s.workflowId], ['attached', s.attached ? 'yes (joined the running sync)' : 'no'], ['covers', s.covers?.summary]]));
      return 0;
    }
    if (!ctx.out.json) ctx.out.note(`${started.attached ? 'joined' : 'started'} ${started.workflowId}: ${started.covers?.summary ?? ''}\n`);
    const final = await followWorkflow(ctx, started.workflowId);
    emit(ctx.out, { ...started, final }, () => (final.status === 'COMPLETED' ? `${final.workflowId} COMPLETED\n` : `${final.workflowId} ${final.status}\n`));
    if (final.status === 'COMPLETED') return 0;
    ctx.out.note(`error: the sync ended ${final.status}${final.failure ? `: ${final.failure.message} (${final.failure.code})` : ''}\n`);
    return 1;
  },
};

/**
 * Polls the workflow's status until it closes, drawing the bar on stderr: redrawn in place on a
 * terminal, a new line whenever it changes otherwise (logs, pipes, tests). Nothing in --json mode.
 */
export async function followWorkflow(ctx: CommandContext, workflowId: string): Promise<WorkflowStatusBody> {
  let last = '';
  for (;;) {
    const status: WorkflowStatusBody = await ctx.api.get(`/v1/workflows/${segment(workflowId)}`);
    draw(ctx.out, renderProgress(status), last, status.status !== 'RUNNING');
    last = renderProgress(status);
    if (status.status !== 'RUNNING') return status;
    await ctx.sleep(POLL_MS);
  }
}

function draw(out: Output, line: string, previous: string, closing: boolean): void {
  if (out.json) return;
  if (out.interactive) out.note(`\r\x1b[2K${line}${closing ? '\n' : ''}`);
  else if (line !== previous) out.note(`${line}\n`);
}
