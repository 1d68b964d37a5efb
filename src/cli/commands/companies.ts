import { segment } from '../api-client';
import { UsageError } from '../cli-errors';
import { emit, fields, notePaging, table } from '../output';
import { limitOf, noMorePositionals, parseCommandArgs, positional, type Command } from './command';
import { createdTokenText, expiryOf, scopesOf, TOKEN_OPTIONS } from './tokens';

const companyFields = (c: any) => fields([['id', c.id], ['name', c.name], ['status', c.status], ['created', c.createdAt], ['deactivated', c.deactivatedAt]]);

/** `companies`: the operator's view of every company (a token with the operator scope). */
export const companiesCommand: Command = {
  name: 'companies',
  summary: 'List, create, rename, deactivate or reactivate companies, or give one a token (operator)',
  usage: [
    'companies [--status active|deactivated] [--limit <n>] [--cursor <c>]',
    'companies create <name>',
    'companies rename <companyId> <name>',
    'companies deactivate <companyId>      (pauses its schedules; its tokens answer 401)',
    'companies reactivate <companyId>      (resumes what the deactivation paused)',
    'companies token <companyId> --name <text> --scopes read,leads,sync,write,admin [--expires-at <ISO time> | --expires-in-days <n>]',
  ].join('\n'),
  async run({ api, out, args }) {
    const { values, positionals } = parseCommandArgs(args, { ...TOKEN_OPTIONS, status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } });
    const [action] = positionals;
    switch (action) {
      case undefined: {
        const page = await api.get('/v1/companies', { status: values.status, limit: limitOf(values.limit), cursor: values.cursor });
        emit(out, page, (p) =>
          table(p.data as any[], [
            { header: 'id', value: (c) => c.id },
            { header: 'name', value: (c) => c.name },
            { header: 'status', value: (c) => c.status },
            { header: 'created', value: (c) => c.createdAt },
            { header: 'deactivated', value: (c) => c.deactivatedAt },
          ]),
        );
        notePaging(out, page);
        return 0;
      }
      case 'create': {
        const name = positional(positionals, 1, 'the company name');
        noMorePositionals(positionals, 2);
        emit(out, await api.post('/v1/companies', { name }), companyFields);
        return 0;
      }
      case 'rename': {
        const id = positional(positionals, 1, 'the company id');
        const name = positional(positionals, 2, 'the new name');
        noMorePositionals(positionals, 3);
        emit(out, await api.patch(`/v1/companies/${segment(id)}`, { name }), companyFields);
        return 0;
      }
      case 'deactivate': {
        const id = positional(positionals, 1, 'the company id');
        noMorePositionals(positionals, 2);
        emit(out, await api.post(`/v1/companies/${segment(id)}/deactivate`), (c) => `${companyFields(c)}paused schedules: ${c.pausedSchedules.length === 0 ? 'none' : `\n  ${c.pausedSchedules.join('\n  ')}`}\n`);
        return 0;
      }
      case 'reactivate': {
        const id = positional(positionals, 1, 'the company id');
        noMorePositionals(positionals, 2);
        emit(out, await api.post(`/v1/companies/${segment(id)}/reactivate`), (c) => `${companyFields(c)}resumed schedules: ${c.resumedSchedules.length === 0 ? 'none' : `\n  ${c.resumedSchedules.join('\n  ')}`}\n`);
        return 0;
      }
      case 'token': {
        const id = positional(positionals, 1, 'the company id');
        noMorePositionals(positionals, 2);
        if (!values.name) throw new UsageError('--name is required: what the token is for');
        emit(out, await api.post(`/v1/companies/${segment(id)}/tokens`, { name: values.name, scopes: scopesOf(values.scopes), expiresAt: expiryOf(values) }), createdTokenText);
        return 0;
      }
      default:
        throw new UsageError(`unknown companies action "${action}": create, rename, deactivate, reactivate or token`);
    }
  },
};
