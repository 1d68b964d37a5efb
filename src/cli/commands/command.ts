import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ApiClient } from '../api-client';
import { UsageError } from '../cli-errors';
import type { Output } from '../output';

/** What a command gets: the API, where to print, its own arguments (global flags removed). */
export interface CommandContext {
  api: ApiClient;
  out: Output;
  args: string[];
  /** Waits between polls (`--wait`); tests need no other clock. */
  sleep(ms: number): Promise<void>;
}

export interface Command {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** The command's forms, one per line. */
  usage: string;
  /** Resolves to the exit code. */
  run(ctx: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's own flags strictly: an unknown flag is a usage error naming it. */
export function parseCommandArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The positional at `index`, or a usage error naming what is missing. */
export function positional(positionals: string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}`);
  return value;
}

/** Refuses positionals beyond those a form takes. */
export function noMorePositionals(positionals: string[], count: number): void {
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}"`);
}

/** `--limit` as a number (the API checks its range). */
export function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--limit must be a whole number, not "${value}"`);
  return Number(value);
}
