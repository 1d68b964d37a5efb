import { listProductCatalogs, listProductFeeds, listProducts, listProductSets } from '../../operations/product-catalogs';
import { pageOf } from '../../operations/schemas/common';
import {
  listProductCatalogsInput, listProductFeedsInput, listProductsInput, listProductSetsInput, productCatalogView, productFeedView, productSetView, productView,
} from '../../operations/schemas/product-catalogs';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Product catalogs of your businesses, with feeds, products and product sets. */
export const catalogTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_product_catalogs',
    title: 'List product catalogs',
    description: `Product catalogs of your ad accounts' businesses, with their feeds and the stored product and set counts. ${pageNote}`,
    input: listProductCatalogsInput,
    output: pageOf(productCatalogView),
    annotations: readOnly,
    run: (args) => listProductCatalogs(ctx, actor, args),
  },
  {
    name: 'list_product_feeds',
    title: 'List product feeds',
    description: `Feeds of one product catalog. ${pageNote}`,
    input: listProductFeedsInput,
    output: pageOf(productFeedView),
    annotations: readOnly,
    run: (args) => listProductFeeds(ctx, actor, args),
  },
  {
    name: 'list_products',
    title: 'List products',
    description: `Products of one catalog (price as a decimal string in major units of its currency), optionally by availability or retailer id. ${pageNote}`,
    input: listProductsInput,
    output: pageOf(productView),
    annotations: readOnly,
    run: (args) => listProducts(ctx, actor, args),
  },
  {
    name: 'list_product_sets',
    title: 'List product sets',
    description: `Product sets of one catalog, with their filters. ${pageNote}`,
    input: listProductSetsInput,
    output: pageOf(productSetView),
    annotations: readOnly,
    run: (args) => listProductSets(ctx, actor, args),
  },
];
