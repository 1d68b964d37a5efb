import pg from 'pg';

/**
 * A `pg.Pool` for Prisma's WASM schema engine (`prisma migrate deploy` through prisma.config.ts).
 *
 * Why: `@prisma/adapter-pg` 6.x cannot deserialize PostgreSQL columns of type `name` (OID 19),
 * which the schema engine's introspection queries return, so `migrate deploy` fails with
 * "Column type 'name' could not be deserialized" (upstream prisma/orm issue 27403, fixed in
 * adapter-pg 7, which cannot be mixed with client 6.19 at run time). `name` is text in all but
 * storage, so we report it as `text` (OID 25). Used only for migrations, never by the app.
 */
const NAME_OID = 19;
const TEXT_OID = 25;

function relabelNameColumns<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const one of results as Array<{ fields?: Array<{ dataTypeID: number }> } | undefined>) {
    for (const field of one?.fields ?? []) {
      if (field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class NameAsTextClient extends pg.Client {
  // pg's query has many overloads (promise and callback forms); we wrap both and change nothing else.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as (error: Error | null, result?: unknown) => void;
      args[args.length - 1] = (error: Error | null, result?: unknown) => callback(error, error ? result : relabelNameColumns(result));
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const submitted = (super.query as (...a: unknown[]) => unknown)(...args);
    if (submitted && typeof (submitted as Promise<unknown>).then === 'function') {
      return (submitted as Promise<unknown>).then(relabelNameColumns) as never;
    }
    return submitted as never;
  }
}

/** A pool whose clients report `name` columns as `text`; see the note above. */
export function createMigrationPool(connectionString: string): pg.Pool {
  return new pg.Pool({ connectionString, max: 2, Client: NameAsTextClient as unknown as typeof pg.Client });
}
