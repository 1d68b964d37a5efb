import { getAdAccount, listAdAccounts } from '../../operations/ad-accounts';
import { adAccountRefInput, adAccountView, listAdAccountsInput } from '../../operations/schemas/ad-accounts';
import { pageOf } from '../../operations/schemas/common';
import { listAttentionItems } from '../../operations/attention-items';
import { attentionItemsView, listAttentionItemsInput } from '../../operations/schemas/attention-items';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** Connected ad accounts of the caller's company. */
export const adAccountTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_ad_accounts',
    title: 'List ad accounts',
    description: `Connected Meta ad accounts of your company. ${pageNote}`,
    input: listAdAccountsInput.omit({ companyId: true }),
    output: pageOf(adAccountView),
    annotations: readOnly,
    run: (args) => listAdAccounts(ctx, actor, args),
  },
  {
    name: 'get_ad_account',
    title: 'Get an ad account',
    description: 'One ad account: status, currency, time zone, token status and last sync times.',
    input: adAccountRefInput,
    output: adAccountView,
    annotations: readOnly,
    run: (args) => getAdAccount(ctx, actor, args),
  },
  {
    name: 'list_attention_items',
    title: 'List attention items',
    description: "Your ad accounts whose Meta token needs a person: Meta rejected it (needs_reauth), a required permission was withdrawn (scope_withdrawn, naming it) or it expires within 14 days (token_expiring). Connect such an account again through Facebook Login to clear it.",
    input: listAttentionItemsInput,
    output: attentionItemsView,
    annotations: readOnly,
    run: (args) => listAttentionItems(ctx, actor, args),
  },
];
