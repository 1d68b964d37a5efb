/**
 * Where the CLI finds the service and its token: `--url`, then META_ORCHESTRATOR_URL, then the
 * config file, then http://127.0.0.1:3000; the token from META_ORCHESTRATOR_TOKEN, then the config
 * file. The file (META_ORCHESTRATOR_CONFIG, else $XDG_CONFIG_HOME or ~/.config, then
 * meta-orchestrator/config.json) holds `{ "url": ..., "token": ... }` and must be readable by its
 * owner alone: a token in a file others can read is a leaked token, so such a file is refused.
 * The CLI is a client of the HTTP API, not part of the service, so it reads its own environment
 * here instead of the service's config object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliFailure } from './cli-errors';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export interface CliConnection {
  url: string;
  /** Absent only for commands that need none (help). */
  token?: string;
}

/** The config file's path for this environment. */
export function configFilePath(env: NodeJS.ProcessEnv): string {
  if (env.META_ORCHESTRATOR_CONFIG) return env.META_ORCHESTRATOR_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'meta-orchestrator', 'config.json');
}

/** Reads the config file when it exists; refuses one that group or others may read. */
function readConfigFile(file: string): { url?: string; token?: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return {};
  }
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    throw new CliFailure(`The config file ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')}); it holds an API token: run \`chmod 600 ${file}\``);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new CliFailure(`The config file ${file} is not valid JSON: expected {"url": "...", "token": "mao_..."}`);
  }
  const value = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  for (const key of ['url', 'token']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') throw new CliFailure(`The config file ${file}: "${key}" must be a string`);
  }
  return { url: value.url as string | undefined, token: value.token as string | undefined };
}

/** Resolves the service URL and token (the file is read only when the environment lacks one). */
export function resolveConnection(env: NodeJS.ProcessEnv, flags: { url?: string }): CliConnection {
  const envUrl = flags.url ?? env.META_ORCHESTRATOR_URL;
  const envToken = env.META_ORCHESTRATOR_TOKEN;
  const file = envUrl && envToken ? {} : readConfigFile(configFilePath(env));
  const url = (envUrl || file.url || DEFAULT_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new CliFailure(`The service URL "${url}" is not an http(s) URL: set META_ORCHESTRATOR_URL or --url`);
  return { url, token: envToken || file.token };
}
