import { segment } from '../api-client';
import { emit, fields, notePaging, table } from '../output';
import { renderProgress } from '../progress-bar';
import { limitOf, noMorePositionals, parseCommandArgs, type Command } from './command';

/** `workflows`: the company's workflows, or one workflow's status. */
export const workflowsCommand: Command = {
  name: 'workflows',
  summary: 'List workflows (--running: only running ones), or show one',
  usage: ['workflows [--running] [--account <act_id>] [--kind <kind>] [--limit <n>] [--cursor <c>]', 'workflows <workflowId>        (status, progress, failure)'].join('\n'),
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, { running: { type: 'boolean' }, account: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    noMorePositionals(positionals, 1);
    if (positionals[0]) {
      const status = await api.get(`/v1/workflows/${segment(positionals[0])}`);
      emit(out, status, (s) =>
        fields([
          ['workflow', s.workflowId],
          ['kind', s.kind],
          ['account', s.adAccountId],
          ['status', s.status],
          ['progress', renderProgress(s)],
          ['started', s.startedAt],
          ['closed', s.closedAt],
          ['failure', s.failure ? `${s.failure.code}: ${s.failure.message}` : null],
        ]),
      );
      return 0;
    }
    const page = await api.get('/v1/workflows', { status: values.running ? 'RUNNING' : undefined, adAccountId: values.account, kind: values.kind, limit: limitOf(values.limit), cursor: values.cursor });
    emit(out, page, (p) =>
      table(p.data as any[], [
        { header: 'workflow id', value: (w) => w.workflowId },
        { header: 'kind', value: (w) => w.kind },
        { header: 'account', value: (w) => w.adAccountId },
        { header: 'status', value: (w) => w.status },
        { header: 'started', value: (w) => w.startedAt },
        { header: 'closed', value: (w) => w.closedAt },
      ]),
    );
    notePaging(out, page);
    return 0;
  },
};
