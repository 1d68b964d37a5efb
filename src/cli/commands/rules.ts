import { emit, notePaging, table } from '../output';
import { limitOf, noMorePositionals, parseCommandArgs, type Command } from './command';

/** `rules`: the company's automated rules. */
export const rulesCommand: Command = {
  name: 'rules',
  summary: "List the company's automated rules",
  usage: 'rules [--account <act_id>] [--deleted] [--limit <n>] [--cursor <c>]',
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, { account: { type: 'string' }, deleted: { type: 'boolean' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    noMorePositionals(positionals, 0);
    const page = await api.get('/v1/rules', { adAccountId: values.account, includeDeleted: values.deleted ? true : undefined, limit: limitOf(values.limit), cursor: values.cursor });
    emit(out, page, (p) =>
      table(p.data as any[], [
        { header: 'rule id', value: (r) => r.ruleId },
        { header: 'account', value: (r) => r.adAccountId },
        { header: 'name', value: (r) => r.name },
        { header: 'status', value: (r) => r.status },
        { header: 'runs on', value: (r) => r.runsOn },
        { header: 'action', value: (r) => r.execution_spec?.execution_type },
        { header: 'next tick', value: (r) => r.nextTicks?.[0] },
      ]),
    );
    notePaging(out, page);
    return 0;
  },
};
