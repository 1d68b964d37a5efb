import { emit, notePaging, table } from '../output';
import { limitOf, noMorePositionals, parseCommandArgs, type Command } from './command';

/** `accounts`: the company's ad accounts. */
export const accountsCommand: Command = {
  name: 'accounts',
  summary: "List the company's ad accounts",
  usage: 'accounts [--all] [--limit <n>] [--cursor <c>]     (--all: disconnected ones too)',
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, { all: { type: 'boolean' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    noMorePositionals(positionals, 0);
    const page = await api.get('/v1/ad-accounts', { includeDisconnected: values.all ? true : undefined, limit: limitOf(values.limit), cursor: values.cursor });
    emit(out, page, (p) =>
      table(p.data as any[], [
        { header: 'id', value: (a) => a.id },
        { header: 'name', value: (a) => a.name },
        { header: 'status', value: (a) => a.status },
        { header: 'currency', value: (a) => a.currency },
        { header: 'time zone', value: (a) => a.timezoneName },
        { header: 'last full sync', value: (a) => a.lastFullSyncAt },
        { header: 'last incremental', value: (a) => a.lastIncrementalSyncAt },
      ]),
    );
    notePaging(out, page);
    return 0;
  },
};
