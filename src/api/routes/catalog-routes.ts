import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listProductCatalogs, listProductFeeds, listProducts, listProductSets } from '../../operations/product-catalogs';
import { pageOf } from '../../operations/schemas/common';
import {
  listProductCatalogsInput, listProductFeedsInput, listProductsInput, listProductSetsInput, productCatalogView, productFeedView, productSetView, productView,
} from '../../operations/schemas/product-catalogs';
import type { ServiceContext } from '../../operations/service-context';
import { actorOf } from '../auth';
import { errorResponses, security } from './schemas';

/** The catalog in the path; the rest of each operation's input in the query. */
function split<T extends z.ZodRawShape & { catalogId: z.ZodType }>(input: z.ZodObject<T>) {
  const { catalogId, ...rest } = input.shape;
  return { params: z.strictObject({ catalogId }), querystring: z.strictObject(rest) };
}

/** Product catalogs of your businesses, with their feeds, products and product sets (`read`). */
export async function catalogRoutes(app: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const { ctx } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['product catalogs'];

  r.get(
    '/product-catalogs',
    { schema: { tags, security, summary: "List the product catalogs of your ad accounts' businesses, with their feeds", querystring: listProductCatalogsInput, response: { 200: pageOf(productCatalogView), ...errorResponses } } },
    (request) => listProductCatalogs(ctx, actorOf(request), request.query),
  );
  r.get(
    '/product-catalogs/:catalogId/feeds',
    { schema: { tags, security, summary: "List a catalog's product feeds", ...split(listProductFeedsInput), response: { 200: pageOf(productFeedView), ...errorResponses } } },
    (request) => listProductFeeds(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
  r.get(
    '/product-catalogs/:catalogId/products',
    { schema: { tags, security, summary: "List a catalog's products (prices as decimal strings in major units)", ...split(listProductsInput), response: { 200: pageOf(productView), ...errorResponses } } },
    (request) => listProducts(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
  r.get(
    '/product-catalogs/:catalogId/product-sets',
    { schema: { tags, security, summary: "List a catalog's product sets", ...split(listProductSetsInput), response: { 200: pageOf(productSetView), ...errorResponses } } },
    (request) => listProductSets(ctx, actorOf(request), { ...request.query, ...request.params }),
  );
}
