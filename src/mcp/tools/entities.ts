import { getCampaign, listAds, listAdSets, listCampaigns } from '../../operations/entities';
import { pageOf } from '../../operations/schemas/common';
import { adSetView, adView, campaignView, entityRefInput, listAdSetsInput, listAdsInput, listCampaignsInput } from '../../operations/schemas/entities';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Campaigns, ad sets and ads from the synced copy. */
export const entityTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_campaigns',
    title: 'List campaigns',
    description: `Campaigns from the synced copy, filtered by ad account and status. ${pageNote}`,
    input: listCampaignsInput,
    output: pageOf(campaignView),
    annotations: readOnly,
    run: (args) => listCampaigns(ctx, actor, args),
  },
  {
    name: 'get_campaign',
    title: 'Get a campaign',
    description: 'One campaign from the synced copy (budgets as decimal strings in major units).',
    input: entityRefInput,
    output: campaignView,
    annotations: readOnly,
    run: (args) => getCampaign(ctx, actor, args),
  },
  {
    name: 'list_ad_sets',
    title: 'List ad sets',
    description: `Ad sets from the synced copy, filtered by ad account, campaign and status. ${pageNote}`,
    input: listAdSetsInput,
    output: pageOf(adSetView),
    annotations: readOnly,
    run: (args) => listAdSets(ctx, actor, args),
  },
  {
    name: 'list_ads',
    title: 'List ads',
    description: `Ads from the synced copy, filtered by ad account, campaign, ad set and status. ${pageNote}`,
    input: listAdsInput,
    output: pageOf(adView),
    annotations: readOnly,
    run: (args) => listAds(ctx, actor, args),
  },
];
