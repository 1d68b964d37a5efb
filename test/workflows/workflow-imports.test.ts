import fs from 'node:fs';
import path from 'node:path';

// Workflow code runs in Temporal's deterministic sandbox: a value import of Node, Prisma, the Meta
// SDK or anything in src/ would break bundling or replay. Only these may be imported for values;
// activities may be imported for types only (`import type`).
const ALLOWED_VALUE_MODULES = ['@temporalio/workflow', '@temporalio/common'];
const workflowsDir = path.resolve(__dirname, '..', '..', 'workflows');
const files = fs.readdirSync(workflowsDir).filter((file) => file.endsWith('.ts'));

/** Every `import ... from '<module>'` / `export ... from '<module>'` statement of a file. */
function importStatements(source: string): Array<{ statement: string; module: string; typeOnly: boolean }> {
  const pattern = /^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms;
  return [...source.matchAll(pattern)].map((match) => ({ statement: match[0], module: match[3], typeOnly: Boolean(match[2]) }));
}

test.each(files)('workflows/%s imports only deterministic modules', (file) => {
  const source = fs.readFileSync(path.join(workflowsDir, file), 'utf8');
  expect(source).not.toMatch(/\brequire\(/);
  for (const { statement, module, typeOnly } of importStatements(source)) {
    const local = module.startsWith('./') && !module.includes('/', 2);
    // The domain floor is pure (no Node, Prisma, SDK or src/ imports): workflows may use it.
    const domain = module.startsWith('../domain/');
    const allowed = local || domain || ALLOWED_VALUE_MODULES.includes(module) || (typeOnly && module.startsWith('../activities'));
    if (!allowed) throw new Error(`workflows/${file} must not import "${module}" for values:\n${statement}`);
  }
});

test('the guard itself rejects what it must', () => {
  const bad = importStatements(`import { PrismaClient } from '../src/db/prisma-client';\nimport fs from 'node:fs';\nimport type { Activities } from '../activities';`);
  expect(bad.map((entry) => [entry.module, entry.typeOnly])).toEqual([
    ['../src/db/prisma-client', false],
    ['node:fs', false],
    ['../activities', true],
  ]);
});
