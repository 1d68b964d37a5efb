/**
 * The field lists Meta documents, taken from the official SDK's object definitions
 * (`facebook-nodejs-business-sdk`, generated from Meta's API specs), so the simulator accepts
 * exactly the fields Meta accepts and refuses the rest with Meta's "nonexisting field" error.
 */
import * as sdk from 'facebook-nodejs-business-sdk';
import type { NodeType } from './simulator-state';

type SdkClass = { Fields?: Record<string, string>; Breakdowns?: Record<string, string>; ActionBreakdowns?: Record<string, string> };
const SDK = sdk as unknown as Record<string, SdkClass | undefined>;

/** SDK class behind each simulated node type. */
export const SDK_CLASS_OF: Record<NodeType, string> = {
  user: 'User', adaccount: 'AdAccount', campaign: 'Campaign', adset: 'AdSet', ad: 'Ad', adcreative: 'AdCreative',
  customaudience: 'CustomAudience', adspixel: 'AdsPixel', adrule: 'AdRule', business: 'Business', page: 'Page',
  leadgen_form: 'LeadgenForm', lead: 'Lead', instagram_account: 'IGUser', product_catalog: 'ProductCatalog',
  product_feed: 'ProductFeed', product: 'ProductItem', product_set: 'ProductSet', report_run: 'AdReportRun',
};

/** Field names of one SDK class (empty when the SDK does not define it). */
export function sdkFields(className: string): string[] {
  return Object.values(SDK[className]?.Fields ?? {});
}

function sdkEnum(className: string, name: 'Breakdowns' | 'ActionBreakdowns'): string[] {
  return Object.values(SDK[className]?.[name] ?? {});
}

/** Documented fields per node type. */
export const DOCUMENTED_FIELDS: Record<NodeType, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(SDK_CLASS_OF).map(([type, cls]) => [type, new Set(sdkFields(cls))]),
) as unknown as Record<NodeType, ReadonlySet<string>>;

/** Documented insights fields (`AdsInsights`). */
export const DOCUMENTED_INSIGHTS_FIELDS: ReadonlySet<string> = new Set(sdkFields('AdsInsights'));

/** Documented `breakdowns` values. */
export const DOCUMENTED_BREAKDOWNS: readonly string[] = sdkEnum('AdsInsights', 'Breakdowns');

/** Documented `action_breakdowns` values. */
export const DOCUMENTED_ACTION_BREAKDOWNS: readonly string[] = sdkEnum('AdsInsights', 'ActionBreakdowns');
