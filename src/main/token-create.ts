// `npm run token:create -- --company <id> --scopes read,leads,sync,write,admin [--name <text>] [--company-name <text>] [--expires-at <ISO time>]`
// Prints a new API token once (only its hash is stored). Creates the company when it is new.
// `operator` (pause, trigger and backfill the global rollup and retention schedules, which act on
// every tenant) can be granted only here, by whoever runs commands on the service host.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createPrismaClient } from '../db/prisma-client';
import { ALL_SCOPES } from '../operations/actor';
import { issueApiToken, tokenExpiryOf } from '../operations/api-tokens';
import { scopeSchema } from '../operations/schemas/api-tokens';
import { companyIdSchema } from '../operations/schemas/common';
import { resolveLocalStack } from './instance-file';
import { exitOnStartupError } from './startup-error';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { company: { type: 'string' }, scopes: { type: 'string', default: 'read' }, name: { type: 'string', default: 'cli' }, 'company-name': { type: 'string' }, 'expires-at': { type: 'string' } },
    strict: true,
  });
  const company = companyIdSchema.safeParse(values.company);
  if (!company.success) usage('--company must be a company id (UUID)');
  const scopes = (values.scopes ?? '').split(',').map((scope) => scope.trim()).filter(Boolean);
  if (scopes.length === 0 || scopes.some((scope) => !scopeSchema.safeParse(scope).success)) usage(`--scopes must be a comma-separated subset of ${ALL_SCOPES.join(',')}`);

  let expiresAt: Date | undefined;
  if (values['expires-at'] !== undefined) {
    const at = new Date(values['expires-at']);
    if (Number.isNaN(at.getTime())) usage('--expires-at must be an ISO time such as 2027-01-31T00:00:00Z');
    try {
      expiresAt = tokenExpiryOf(at.toISOString());
    } catch (error) {
      usage(`--expires-at: ${(error as Error).message}`);
    }
  }

  const config = loadConfig();
  // Without DATABASE_URL, the embedded database of the `npm start` running on this DATA_DIR.
  const { databaseUrl } = resolveLocalStack(config, { temporal: false });
  const db = createPrismaClient({ url: databaseUrl, poolSize: 1 });
  try {
    await db.company.upsert({ where: { id: company.data! }, create: { id: company.data!, name: values['company-name'] ?? `Company ${company.data!.slice(0, 8)}` }, update: {} });
    const created = await issueApiToken(db, { companyId: company.data!, name: values.name ?? 'cli', scopes, expiresAt });
    process.stderr.write(`created token ${created.id} (${created.prefix}…) for company ${created.companyId} with scopes ${created.scopes.join(',')}; it is shown once:\n`);
    process.stdout.write(`${created.token}\n`);
  } finally {
    await db.$disconnect();
  }
}

function usage(problem: string): never {
  process.stderr.write(`${problem}\nusage: npm run token:create -- --company <uuid> --scopes read,leads,sync,write,admin[,operator] [--name <text>] [--company-name <text>] [--expires-at <ISO time>]\n`);
  process.exit(2);
}

main().catch(exitOnStartupError);
