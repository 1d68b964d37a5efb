import { segment } from '../api-client';
import { UsageError } from '../cli-errors';
import { emit, fields, notePaging, table } from '../output';
import { limitOf, noMorePositionals, parseCommandArgs, positional, type Command } from './command';

/** `changes`: change sets (list, show, confirm with the plan hash, cancel). */
export const changesCommand: Command = {
  name: 'changes',
  summary: 'List change sets, show one, confirm it (with its planHash) or cancel it',
  usage: [
    'changes [--account <act_id>] [--status <status>] [--limit <n>] [--cursor <c>]',
    'changes <changeSetId> [--items <n>]',
    'changes confirm <changeSetId> [--plan-hash <hash>]   (default: the planHash the service shows now)',
    'changes cancel <changeSetId>',
  ].join('\n'),
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, {
      account: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      items: { type: 'string' },
      'plan-hash': { type: 'string' },
    });
    const [first] = positionals;
    if (first === undefined) {
      const page = await api.get('/v1/change-sets', { adAccountId: values.account, status: values.status, limit: limitOf(values.limit), cursor: values.cursor });
      emit(out, page, (p) =>
        table(p.data as any[], [
          { header: 'change set', value: (c) => c.changeSetId },
          { header: 'account', value: (c) => c.adAccountId },
          { header: 'kind', value: (c) => c.kind },
          { header: 'source', value: (c) => c.source },
          { header: 'status', value: (c) => c.status },
          { header: 'items', value: (c) => c.itemCount },
          { header: 'violations', value: (c) => c.violationCount },
          { header: 'needs confirm', value: (c) => (c.requiresConfirmation ? 'yes' : 'no') },
          { header: 'created', value: (c) => c.createdAt },
        ]),
      );
      notePaging(out, page);
      return 0;
    }
    if (first === 'confirm') {
      const id = positional(positionals, 1, 'the change set id');
      noMorePositionals(positionals, 2);
      // The hash names the plan that is confirmed; without --plan-hash, the stored plan shown by `changes <id>`.
      const planHash = values['plan-hash'] ?? (await api.get(`/v1/change-sets/${segment(id)}`, { itemsLimit: 1 })).planHash;
      const confirmed = await api.post(`/v1/change-sets/${segment(id)}/confirm`, { planHash });
      emit(out, confirmed, (c) => fields([['change set', c.changeSetId], ['status', c.status], ['workflow', c.workflowId], ['confirmed by', c.confirmedBy], ['confirmed at', c.confirmedAt]]));
      return 0;
    }
    if (first === 'cancel') {
      const id = positional(positionals, 1, 'the change set id');
      noMorePositionals(positionals, 2);
      const canceled = await api.post(`/v1/change-sets/${segment(id)}/cancel`);
      emit(out, canceled, (c) => fields([['change set', c.changeSetId], ['status', c.status], ['workflow', c.workflowId]]));
      return 0;
    }
    noMorePositionals(positionals, 1);
    if (values['plan-hash'] !== undefined) throw new UsageError('--plan-hash goes with `changes confirm <id>`');
    const changeSet = await api.get(`/v1/change-sets/${segment(first)}`, { itemsLimit: limitOf(values.items) });
    emit(out, changeSet, (c) => {
      const head = fields([
        ['change set', c.changeSetId],
        ['account', c.adAccountId],
        ['kind', `${c.kind} (${c.source})`],
        ['status', c.status],
        ['items', c.itemCount],
        ['needs confirm', c.requiresConfirmation ? 'yes: `changes confirm <id>`' : 'no'],
        ['plan hash', c.planHash],
        ['expires', c.expiresAt],
        ['requested by', c.requestedBy],
        ['confirmed by', c.confirmedBy],
        ['workflow', c.workflow ? `${c.workflowId} (${c.workflow.status})` : c.workflowId],
      ]);
      const items = table(c.items as any[], [
        { header: '#', value: (i) => i.position },
        { header: 'action', value: (i) => i.action },
        { header: 'level', value: (i) => i.level },
        { header: 'object', value: (i) => i.objectId },
        { header: 'status', value: (i) => i.status },
        { header: 'changes', value: (i) => Object.entries(i.changes ?? {}).map(([field, change]: [string, any]) => `${field}: ${change.before ?? '-'} -> ${change.after ?? '-'}`).join('; ') },
      ]);
      const violations = (c.violations as Array<{ code: string; message: string }>).map((v) => `  ${v.code}: ${v.message}`).join('\n');
      return `${head}\n${items}${violations ? `\nviolations:\n${violations}\n` : ''}${c.itemsNextCursor ? `(more items: --items ${Math.min(1000, (c.items.length as number) * 10)})\n` : ''}`;
    });
    return 0;
  },
};
