import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run setup` on a Node.js outside the supported range says so and installs nothing. This
 * machine has one Node.js, so the other versions are simulated by a preload that rewrites
 * `process.versions.node` before setup.js reads it; `npm` on PATH is a stand-in that records its
 * call and fails, so the test can never run a real `npm ci`.
 */
const root = path.resolve(__dirname, '..', '..');
const range = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-ads-node-version-'));
const bin = path.join(scratch, 'bin');
const preload = path.join(scratch, 'fake-node-version.js');
const marker = path.join(scratch, 'npm-calls');

beforeAll(() => {
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> "${marker}"\nexit 3\n`, { mode: 0o755 });
  fs.writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: process.env.FAKE_NODE_VERSION });\n");
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function setupOn(version: string): { code: number | null; stdout: string; stderr: string; npmCalls: string } {
  fs.rmSync(marker, { force: true });
  const result = spawnSync(process.execPath, ['-r', preload, path.join(root, 'scripts', 'setup.js')], {
    cwd: root,
    env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: scratch, FAKE_NODE_VERSION: version },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, npmCalls: fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '' };
}

test('the supported range is one statement, in package.json and the README', () => {
  expect(range).toBe('^20.19.0 || >=22.12.0');
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`\`${range}\``);
});

test.each(['20.18.0', '21.7.3', '22.11.0', '18.20.4'])('Node.js %s: setup stops before installing anything, saying which versions are supported', (version) => {
  const result = setupOn(version);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`setup: Node.js ${version} is not supported: this project needs Node.js ${range}.`);
  expect(result.stderr).toContain('Nothing was installed.');
  expect(result.npmCalls).toBe('');
});

test.each(['20.19.0', process.versions.node, '22.12.0', '24.0.0'])('Node.js %s: setup accepts it and goes on to install', (version) => {
  const result = setupOn(version);
  expect(result.stdout).toContain(`setup: Node.js ${version} (supported: ${range})`);
  expect(result.npmCalls).toMatch(/^npm (ci|install) /);
  expect(result.code).toBe(1); // the stand-in npm fails on purpose
});
