import { getCreative, listCreatives } from '../../operations/creatives';
import { listCustomAudiences } from '../../operations/custom-audiences';
import { listInstagramAccounts, listPages } from '../../operations/pages';
import { listPixels } from '../../operations/pixels';
import { pageOf } from '../../operations/schemas/common';
import { creativeRefInput, creativeView, listCreativesInput } from '../../operations/schemas/creatives';
import { customAudienceView, listCustomAudiencesInput } from '../../operations/schemas/custom-audiences';
import { instagramAccountView, listInstagramAccountsInput, listPagesInput, pageView } from '../../operations/schemas/pages';
import { listPixelsInput, pixelView } from '../../operations/schemas/pixels';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Creatives, custom audiences, pixels, pages and Instagram accounts from the synced copy. */
export const assetTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_creatives',
    title: 'List ad creatives',
    description: `Ad creatives from the synced copy (title, body, image, call to action, link), each with adCount and the first ads that use it. ${pageNote}`,
    input: listCreativesInput,
    output: pageOf(creativeView),
    annotations: readOnly,
    run: (args) => listCreatives(ctx, actor, args),
  },
  {
    name: 'get_creative',
    title: 'Get an ad creative',
    description: 'One ad creative from the synced copy with the ads that use it (up to 1000, with their status).',
    input: creativeRefInput,
    output: creativeView,
    annotations: readOnly,
    run: (args) => getCreative(ctx, actor, args),
  },
  {
    name: 'list_custom_audiences',
    title: 'List custom audiences',
    description: `Custom audiences and lookalikes: approximate size bounds, delivery status (can ads use it) and operation status. ${pageNote}`,
    input: listCustomAudiencesInput,
    output: pageOf(customAudienceView),
    annotations: readOnly,
    run: (args) => listCustomAudiences(ctx, actor, args),
  },
  {
    name: 'list_pixels',
    title: 'List pixels',
    description: `Pixels of your ad accounts, with when each last fired (as of the last sync). ${pageNote}`,
    input: listPixelsInput,
    output: pageOf(pixelView),
    annotations: readOnly,
    run: (args) => listPixels(ctx, actor, args),
  },
  {
    name: 'list_pages',
    title: 'List Facebook pages',
    description: `Facebook pages your ad accounts can promote, with which of your accounts can. ${pageNote}`,
    input: listPagesInput,
    output: pageOf(pageView),
    annotations: readOnly,
    run: (args) => listPages(ctx, actor, args),
  },
  {
    name: 'list_instagram_accounts',
    title: 'List Instagram accounts',
    description: `Instagram accounts of those pages (optionally of one page). ${pageNote}`,
    input: listInstagramAccountsInput,
    output: pageOf(instagramAccountView),
    annotations: readOnly,
    run: (args) => listInstagramAccounts(ctx, actor, args),
  },
];
