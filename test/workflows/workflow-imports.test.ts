import fs from 'node:fs';
import path from 'node:path';

// Workflow code runs in Temporal's deterministic sandbox: a value import of Node, Prisma, the Meta
// SDK or anything in src/ would break bundling or replay. Only these may be imported for values,
// besides the workflow's own files and the domain floor; activities may be imported for types
// only (`import type`).
const ALLOWED_VALUE_MODULES = ['@temporalio/workflow', '@temporalio/common'];
const root = path.resolve(__dirname, '..', '..');
const workflowsDir = path.join(root, 'workflows');
const domainDir = path.join(root, 'domain');
const files = fs.readdirSync(workflowsDir).filter((file) => file.endsWith('.ts'));

/** Every .ts file under `dir`, relative to it. */
function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts')).sort();
}
const domainFiles = listTs(domainDir);

/** Every `import ... from '<module>'` / `export ... from '<module>'` statement of a file. */
function importStatements(source: string): Array<{ statement: string; module: string; typeOnly: boolean }> {
  const pattern = /^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms;
  return [...source.matchAll(pattern)].map((match) => ({ statement: match[0], module: match[3], typeOnly: Boolean(match[2]) }));
}

/** Where a relative import of `fromFile` lands, relative to the repository root ('domain/vocabulary'). */
function target(fromFile: string, module: string): string {
  return path.relative(root, path.resolve(path.dirname(fromFile), module)).split(path.sep).join('/');
}

/** Whether a workflow file may import `module` for values. */
function workflowMayImport(file: string, module: string, typeOnly: boolean): boolean {
  if (ALLOWED_VALUE_MODULES.includes(module)) return true;
  if (!module.startsWith('.')) return false;
  const lands = target(path.join(workflowsDir, file), module);
  const local = lands.startsWith('workflows/') && !lands.slice('workflows/'.length).includes('/');
  return local || lands.startsWith('domain/') || (typeOnly && (lands === 'activities' || lands.startsWith('activities/')));
}

/** Whether a domain file may import `module` at all: the SDK's deterministic packages and the floor itself. */
function domainMayImport(file: string, module: string): boolean {
  if (ALLOWED_VALUE_MODULES.includes(module)) return true;
  return module.startsWith('.') && target(path.join(domainDir, file), module).startsWith('domain/');
}

test.each(files)('workflows/%s imports only deterministic modules', (file) => {
  const source = fs.readFileSync(path.join(workflowsDir, file), 'utf8');
  expect(source).not.toMatch(/\brequire\(/);
  for (const { statement, module, typeOnly } of importStatements(source)) {
    if (!workflowMayImport(file, module, typeOnly)) throw new Error(`workflows/${file} must not import "${module}" for values:\n${statement}`);
  }
});

test.each(domainFiles)('domain/%s imports nothing from workflows/, activities/ or src/', (file) => {
  const source = fs.readFileSync(path.join(domainDir, file), 'utf8');
  expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  for (const { statement, module } of importStatements(source)) {
    if (!domainMayImport(file, module)) throw new Error(`domain/${file} must not import "${module}" (not even a type):\n${statement}`);
  }
});

test('src/ and activities/ import contracts from domain/, never from workflows/', () => {
  const offenders: string[] = [];
  for (const dir of ['src', 'activities']) {
    for (const file of listTs(path.join(root, dir))) {
      if (file.startsWith('db/generated/')) continue;
      const full = path.join(root, dir, file);
      for (const { module } of importStatements(fs.readFileSync(full, 'utf8'))) {
        if (module.startsWith('.') && target(full, module).startsWith('workflows')) offenders.push(`${dir}/${file} imports ${module}`);
      }
    }
  }
  expect(offenders).toEqual([]);
});

test('the domain floor is where the contracts live', () => {
  expect(domainFiles).toEqual(expect.arrayContaining(['vocabulary.ts', 'workflow-ids.ts', 'calendar.ts', 'contracts/metrics-sync.ts']));
  expect(fs.existsSync(path.join(workflowsDir, 'shared.ts'))).toBe(false);
});

test('the guards themselves reject what they must', () => {
  const bad = importStatements(`import { PrismaClient } from '../src/db/prisma-client';\nimport fs from 'node:fs';\nimport type { Activities } from '../activities';`);
  expect(bad.map((entry) => [entry.module, entry.typeOnly])).toEqual([
    ['../src/db/prisma-client', false],
    ['node:fs', false],
    ['../activities', true],
  ]);
  expect(workflowMayImport('x.workflow.ts', '../src/db/prisma-client', false)).toBe(false);
  expect(workflowMayImport('x.workflow.ts', '../activities', false)).toBe(false);
  expect(workflowMayImport('x.workflow.ts', '../activities', true)).toBe(true);
  expect(workflowMayImport('x.workflow.ts', '../domain/calendar', false)).toBe(true);
  expect(workflowMayImport('x.workflow.ts', './sync-progress', false)).toBe(true);
  expect(workflowMayImport('x.workflow.ts', '../domain/../src/config', false)).toBe(false);
  expect(domainMayImport('vocabulary.ts', '../workflows/sync-progress')).toBe(false);
  expect(domainMayImport('contracts/rollup.ts', '../../activities/rollup.activities')).toBe(false);
  expect(domainMayImport('contracts/rollup.ts', '../../src/db/metrics-rollup')).toBe(false);
  expect(domainMayImport('contracts/rollup.ts', '../vocabulary')).toBe(true);
  expect(domainMayImport('calendar.ts', 'node:fs')).toBe(false);
});
