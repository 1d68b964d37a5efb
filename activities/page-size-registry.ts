import type { Db } from '../src/db/prisma-client';
import { fieldsHash, loadPageSize, savePageSize, type PageSizeKey } from '../src/db/page-sizes';
import { countRequestedFields } from '../src/meta/field-budget';

/** Options of {@link PageSizeRegistry}. */
export interface PageSizeRegistryOptions {
  /** Page size asked first when nothing was learned. */
  initial: number;
  /** How long a read waits for another account's probe of the same edge before probing itself. @default 15000 */
  waitMs?: number;
}

/** The page size to start an edge with; the prober must `release()` once its first page answered (or failed). */
export interface PageSizeLease {
  limit: number;
  /** True when this caller is the one probing: others wait for its first page. */
  probing: boolean;
  release(): void;
}

const noop = (): void => undefined;

/**
 * Page sizes learned per (edge, field list), shared by every account the worker process syncs and
 * persisted in `meta_page_sizes` for the next sync and other workers. When several accounts start
 * the same edge at once and nothing is known yet, one probes (its first page finds the size, halving
 * on "reduce the amount of data") while the others wait briefly for its answer, so the failed
 * oversized call is paid once, not once per account.
 *
 * A first probe of an edge starts from what other edges taught: Meta's "reduce the amount of
 * data" tracks rows × fields, so once an edge had to shrink, `rows × fields` of the size that
 * worked is a data budget Meta accepted, and an unknown edge starts at that budget divided by its
 * own field count (never above the initial size). If the guess is still too large, halving goes on.
 */
export class PageSizeRegistry {
  readonly #known = new Map<string, number>();
  readonly #probes = new Map<string, Promise<void>>();
  readonly #initial: number;
  readonly #waitMs: number;
  /** Largest rows × fields Meta accepted on an edge that had to shrink; 0 until one did. */
  #acceptedBudget = 0;

  constructor(
    private readonly db: Db,
    options: PageSizeRegistryOptions,
  ) {
    this.#initial = options.initial;
    this.#waitMs = options.waitMs ?? 15_000;
  }

  /** Page size to start reading `key` with (the stored one, or the initial size for the prober). */
  async acquire(key: PageSizeKey): Promise<PageSizeLease> {
    const id = keyOf(key);
    for (;;) {
      const known = this.#known.get(id);
      if (known !== undefined) return { limit: known, probing: false, release: noop };
      const probe = this.#probes.get(id);
      if (!probe) break;
      // Another account is probing this edge: wait for its first page, but not for ever.
      if (!(await settlesWithin(probe, this.#waitMs))) return { limit: this.#initial, probing: false, release: noop };
    }
    let resolve!: () => void;
    const probe = new Promise<void>((r) => (resolve = r));
    this.#probes.set(id, probe);
    const release = (): void => {
      if (this.#probes.get(id) === probe) this.#probes.delete(id);
      resolve();
    };
    try {
      const stored = await loadPageSize(this.db, key);
      if (stored !== undefined) {
        this.#known.set(id, stored);
        release();
        return { limit: stored, probing: false, release: noop };
      }
    } catch (error) {
      release();
      throw error;
    }
    return { limit: this.#firstGuess(key), probing: true, release };
  }

  /** The size an edge with nothing learned starts at: the initial size, or what the budget allows. */
  #firstGuess(key: PageSizeKey): number {
    if (this.#acceptedBudget === 0) return this.#initial;
    return Math.max(1, Math.min(this.#initial, Math.floor(this.#acceptedBudget / countRequestedFields(key.fields))));
  }

  /** Records the page size a request of `key` worked with; a smaller size than known is stored for everyone. */
  async learned(key: PageSizeKey, pageSize: number): Promise<void> {
    const id = keyOf(key);
    if (pageSize < this.#initial) this.#acceptedBudget = Math.max(this.#acceptedBudget, pageSize * countRequestedFields(key.fields));
    const known = this.#known.get(id);
    if (known !== undefined && known <= pageSize) return;
    this.#known.set(id, pageSize);
    await savePageSize(this.db, { ...key, pageSize });
  }
}

function keyOf(key: PageSizeKey): string {
  return `${key.edge}|${fieldsHash(key.fields)}`;
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const registries = new WeakMap<Db, PageSizeRegistry>();

/** The process's registry for a database (one per Prisma client, so tests with separate databases stay apart). */
export function pageSizeRegistryFor(db: Db, options: PageSizeRegistryOptions): PageSizeRegistry {
  let registry = registries.get(db);
  if (!registry) registries.set(db, (registry = new PageSizeRegistry(db, options)));
  return registry;
}
