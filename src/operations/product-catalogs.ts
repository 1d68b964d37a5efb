/** Reads of the product catalogs of the company's businesses, with their feeds, products and product sets. */
import type { z } from 'zod';
import {
  catalogIsReachable, listCatalogRows, listProductFeedRows, listProductRows, listProductSetRows,
  type CatalogRow, type ProductFeedRow, type ProductRow, type ProductSetRow,
} from '../db/catalog-repository';
import { NotFoundError } from '../errors';
import { requireScope, Scope, type Actor } from './actor';
import { decodeCursor, toPage, type Page } from './paging';
import {
  listProductCatalogsInput, listProductFeedsInput, listProductsInput, listProductSetsInput, productCatalogView, productFeedView, productSetView, productView,
} from './schemas/product-catalogs';
import type { ServiceContext } from './service-context';
import { checkAccountFilter, decimalText, iso, jsonOrNull } from './synced-reads';
import { parseInput } from './validation';

export type ProductCatalogView = z.infer<typeof productCatalogView>;
export type ProductFeedView = z.infer<typeof productFeedView>;
export type ProductView = z.infer<typeof productView>;
export type ProductSetView = z.infer<typeof productSetView>;

function toFeedView(row: ProductFeedRow): ProductFeedView {
  return { id: row.id, catalogId: row.catalogId, name: row.name, schedule: jsonOrNull(row.schedule), productCount: row.productCount, syncedAt: row.syncedAt.toISOString(), deletedAt: iso(row.deletedAt) };
}

function toCatalogView(row: CatalogRow): ProductCatalogView {
  return {
    id: row.id,
    businessId: row.businessId,
    name: row.name,
    vertical: row.vertical,
    productCount: row.productCount,
    storedProducts: row._count.products,
    storedProductSets: row._count.productSets,
    feedCount: row._count.feeds,
    feeds: row.feeds.map(toFeedView),
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

function toProductView(row: ProductRow): ProductView {
  return {
    id: row.id,
    catalogId: row.catalogId,
    retailerId: row.retailerId,
    name: row.name,
    price: decimalText(row.price),
    currency: row.currency,
    availability: row.availability,
    url: row.url,
    imageUrl: row.imageUrl,
    syncedAt: row.syncedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

function toSetView(row: ProductSetRow): ProductSetView {
  return { id: row.id, catalogId: row.catalogId, name: row.name, filter: jsonOrNull(row.filter), productCount: row.productCount, syncedAt: row.syncedAt.toISOString(), deletedAt: iso(row.deletedAt) };
}

/** Catalogs of the businesses of the company's ad accounts (`read`), by id, with their feeds. */
export async function listProductCatalogs(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ProductCatalogView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listProductCatalogsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkAccountFilter(ctx, actor, input.adAccountId);
  const rows = await listCatalogRows(ctx.db, { companyId: actor.companyId, adAccountId: input.adAccountId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toCatalogView, (row) => ({ id: row.id }));
}

/** The catalog must be one the company reaches; another company's answers like a missing one. */
async function checkCatalog(ctx: ServiceContext, actor: Actor, catalogId: string): Promise<void> {
  if (!(await catalogIsReachable(ctx.db, { companyId: actor.companyId, catalogId }))) throw new NotFoundError('Product catalog', catalogId);
}

/** Feeds of one catalog (`read`), by id. */
export async function listProductFeeds(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ProductFeedView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listProductFeedsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkCatalog(ctx, actor, input.catalogId);
  const rows = await listProductFeedRows(ctx.db, { catalogId: input.catalogId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toFeedView, (row) => ({ id: row.id }));
}

/** Products of one catalog (`read`), by id; prices as decimal strings in major units. */
export async function listProducts(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ProductView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listProductsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkCatalog(ctx, actor, input.catalogId);
  const rows = await listProductRows(ctx.db, {
    catalogId: input.catalogId, availability: input.availability, retailerId: input.retailerId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1,
  });
  return toPage(rows, input.limit, toProductView, (row) => ({ id: row.id }));
}

/** Product sets of one catalog (`read`), by id. */
export async function listProductSets(ctx: ServiceContext, actor: Actor, raw: unknown): Promise<Page<ProductSetView>> {
  requireScope(actor, Scope.Read);
  const input = parseInput(listProductSetsInput, raw);
  const after = decodeCursor(input.cursor, ['id']);
  await checkCatalog(ctx, actor, input.catalogId);
  const rows = await listProductSetRows(ctx.db, { catalogId: input.catalogId, includeDeleted: input.includeDeleted ?? false, afterId: after?.id, take: input.limit + 1 });
  return toPage(rows, input.limit, toSetView, (row) => ({ id: row.id }));
}
