import type { Config } from '../src/config';
import type { Db } from '../src/db/prisma-client';

/** What activities need from the process: created once by the worker entrypoint (or a test). */
export interface ActivityDeps {
  db: Db;
  config: Config;
}
