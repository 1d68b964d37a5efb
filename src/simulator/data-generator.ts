/**
 * Eager generation of every Graph object from (profile, seed). Insights are not generated
 * here: `metrics-model.ts` computes them on demand from the same seed.
 */
import { minimumBudgetFor } from './minimum-budgets';
import { SeededRandom } from './seeded-random';
import { ObjectStatus, type AccountInfo, type SimNode, type SimulatorState } from './simulator-state';
import { localDay, MS_PER_DAY, offsetMinutes } from './time-zones';

const OBJECTIVES = ['OUTCOME_SALES', 'OUTCOME_TRAFFIC', 'OUTCOME_LEADS', 'OUTCOME_AWARENESS', 'OUTCOME_ENGAGEMENT', 'LINK_CLICKS', 'CONVERSIONS'] as const;
const BID_STRATEGIES = ['LOWEST_COST_WITHOUT_CAP', 'LOWEST_COST_WITH_BID_CAP', 'COST_CAP'] as const;
const OPT_GOALS = ['OFFSITE_CONVERSIONS', 'LINK_CLICKS', 'LEAD_GENERATION', 'REACH', 'LANDING_PAGE_VIEWS', 'IMPRESSIONS'] as const;
const CTAS = ['SHOP_NOW', 'LEARN_MORE', 'SIGN_UP', 'DOWNLOAD'] as const;
const WORDS = ['Spring', 'Summer', 'Autumn', 'Winter', 'Launch', 'Retarget', 'Prospecting', 'Brand', 'Promo', 'Evergreen', 'Flash', 'Holiday'] as const;

/** Build the whole object graph into `state`, anchored at the instant `nowMs`. */
export function generateWorld(state: SimulatorState, nowMs: number): void {
  const rng = new SeededRandom(state.seed);
  const p = state.profile;
  const userId = state.allocateId('user');
  state.userId = userId;
  add(state, { type: 'user', id: userId, createdMs: nowMs - 900 * MS_PER_DAY, fields: { name: 'Sim User' } });

  p.adAccounts.forEach((spec, accountIndex) => {
    const bare = state.allocateId('adaccount');
    const actId = `act_${bare}`;
    const businessId = state.allocateId('business');
    const accountCreated = nowMs - rng.int(400, 900) * MS_PER_DAY;
    const account: AccountInfo = {
      id: actId,
      accountId: bare,
      name: spec.name,
      timezone: spec.timezone,
      currency: spec.currency,
      businessId,
      historyStartDay: localDay(nowMs, spec.timezone) - (p.insightsDays - 1),
      revision: 0,
      unsettledDays: p.unsettledDays,
    };
    state.accounts.set(actId, account);
    state.accountsByBareId.set(bare, account);

    add(state, {
      type: 'business', id: businessId, createdMs: accountCreated - MS_PER_DAY,
      fields: { name: `Sim Business ${accountIndex + 1}`, verification_status: 'verified', timezone_id: 1 },
    });
    state.addEdge('me', 'businesses', businessId);

    add(state, {
      type: 'adaccount', id: actId, accountId: bare, name: spec.name, createdMs: accountCreated,
      fields: {
        name: spec.name, account_status: 1, disable_reason: 0, currency: spec.currency,
        timezone_name: spec.timezone, timezone_id: accountIndex + 1,
        timezone_offset_hours_utc: offsetMinutes(nowMs, spec.timezone) / 60,
        amount_spent: '0', balance: '0', spend_cap: '0', min_daily_budget: minimumBudgetFor(spec.currency).min_daily_budget_imp,
        business: { id: businessId, name: `Sim Business ${accountIndex + 1}` },
        owner: businessId,
      },
    });
    state.addEdge('me', 'adaccounts', actId);
    state.addEdge(businessId, 'owned_ad_accounts', actId);

    generateBusinessAssets(state, rng, account, accountCreated);
    generateHierarchy(state, rng, account, spec, nowMs, accountCreated);
    generateAccountAssets(state, rng, account, nowMs);
  });
}

function add(state: SimulatorState, partial: Omit<SimNode, 'updatedMs' | 'ordinal'> & { updatedMs?: number; ordinal?: number }): SimNode {
  const node: SimNode = { ordinal: -1, updatedMs: partial.createdMs, ...partial };
  state.addNode(node);
  return node;
}

/** Position-forced statuses guarantee each level of every account has all four statuses. */
function statusFor(rng: SeededRandom, position: number, mix: { paused: number; archived: number; deleted: number }): string {
  if (position === 1) return ObjectStatus.Paused;
  if (position === 2) return ObjectStatus.Archived;
  if (position === 3) return ObjectStatus.Deleted;
  const r = rng.next();
  if (r < mix.deleted) return ObjectStatus.Deleted;
  if (r < mix.deleted + mix.archived) return ObjectStatus.Archived;
  if (r < mix.deleted + mix.archived + mix.paused) return ObjectStatus.Paused;
  return ObjectStatus.Active;
}

function statusFields(status: string): Record<string, unknown> {
  return { status, configured_status: status };
}

function generateHierarchy(
  state: SimulatorState,
  rng: SeededRandom,
  account: AccountInfo,
  spec: { campaigns: number; adsetsPerCampaign: number; adsPerAdset: number },
  nowMs: number,
  accountCreated: number,
): void {
  const p = state.profile;
  const mix = p.statusMix;
  const minor = account.currency === 'JPY' || account.currency === 'KRW' ? 1 : 100;
  let adsetPos = 0;
  let adPos = 0;
  let creativePos = 0;
  let lastCreative: SimNode | undefined;
  const historyMs = p.insightsDays * MS_PER_DAY;
  for (let c = 0; c < spec.campaigns; c++) {
    const campaignId = state.allocateId('campaign');
    const cCreated = Math.max(accountCreated + MS_PER_DAY, nowMs - historyMs - rng.int(10, 200) * MS_PER_DAY - rng.int(0, 86_399) * 1000);
    const cStatus = statusFor(rng, c, mix);
    const useCbo = rng.chance(0.4);
    const objective = rng.pick(OBJECTIVES);
    const budget = String(rng.int(20, 500) * 10 * minor);
    const campaign = add(state, {
      type: 'campaign', id: campaignId, accountId: account.accountId, status: cStatus,
      name: `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${c + 1}`,
      createdMs: cCreated,
      updatedMs: cCreated + Math.floor(rng.next() * (nowMs - cCreated)),
      fields: {
        objective, buying_type: 'AUCTION', bid_strategy: rng.pick(BID_STRATEGIES),
        ...(useCbo ? { daily_budget: budget, budget_remaining: budget } : {}),
        special_ad_categories: [], special_ad_category: 'NONE', start_time: cCreated, pacing_type: ['standard'],
        ...statusFields(cStatus),
      },
    });
    campaign.fields.name = campaign.name;
    state.addEdge(account.id, 'campaigns', campaignId);

    for (let s = 0; s < spec.adsetsPerCampaign; s++) {
      const adsetId = state.allocateId('adset');
      const sStatus = statusFor(rng, adsetPos++, mix);
      const sCreated = cCreated + rng.int(60, 86_400) * 1000;
      const sBudget = String(rng.int(5, 200) * 10 * minor);
      const adset = add(state, {
        type: 'adset', id: adsetId, accountId: account.accountId, campaignId, status: sStatus,
        name: `${campaign.name} / Ad set ${s + 1}`, createdMs: sCreated,
        updatedMs: sCreated + Math.floor(rng.next() * (nowMs - sCreated)),
        fields: {
          campaign_id: campaignId, optimization_goal: rng.pick(OPT_GOALS), billing_event: 'IMPRESSIONS',
          bid_strategy: campaign.fields.bid_strategy,
          ...(useCbo ? {} : { daily_budget: sBudget, budget_remaining: sBudget }),
          bid_amount: rng.int(50, 500),
          start_time: sCreated,
          targeting: { geo_locations: { countries: [rng.pick(['US', 'DE', 'GB', 'FR'])] }, age_min: 18, age_max: 65 },
          destination_type: 'WEBSITE',
          ...statusFields(sStatus),
        },
      });
      adset.fields.name = adset.name;
      state.addEdge(account.id, 'adsets', adsetId);
      state.addEdge(campaignId, 'adsets', adsetId);

      for (let a = 0; a < spec.adsPerAdset; a++) {
        // Most ads predate the insights history; some start inside it, so they have fewer days.
        const lateStart = rng.chance(0.1);
        const aCreated = lateStart
          ? nowMs - rng.int(1, Math.max(1, p.insightsDays - 1)) * MS_PER_DAY - rng.int(0, 86_399) * 1000
          : sCreated + rng.int(60, 86_400) * 1000;
        let creative: SimNode;
        if (lastCreative && rng.chance(p.sharedCreativeRate)) {
          creative = lastCreative;
        } else {
          const creativeId = state.allocateId('adcreative');
          const crStatus = creativePos++ === 3 ? ObjectStatus.Deleted : ObjectStatus.Active;
          creative = add(state, {
            type: 'adcreative', id: creativeId, accountId: account.accountId, status: crStatus,
            name: `Creative ${creativeId.slice(-6)}`, createdMs: Math.min(aCreated, sCreated),
            fields: {
              title: `${rng.pick(WORDS)} offer`, body: `Get the ${rng.pick(WORDS).toLowerCase()} deal today.`,
              call_to_action_type: rng.pick(CTAS), image_hash: hex(rng, 32),
              thumbnail_url: `https://sim.invalid/thumbs/${creativeId}.jpg`,
              object_story_spec: { page_id: state.edgeIds(account.businessId, 'owned_pages')[0] ?? '', link_data: { link: 'https://example.com/', message: 'Hello' } },
              url_tags: 'utm_source=facebook',
              status: crStatus,
            },
          });
          creative.fields.name = creative.name;
          state.addEdge(account.id, 'adcreatives', creativeId);
          lastCreative = creative;
        }
        const adId = state.allocateId('ad');
        const aStatus = statusFor(rng, adPos++, mix);
        const ad = add(state, {
          type: 'ad', id: adId, accountId: account.accountId, campaignId, adsetId, creativeId: creative.id,
          status: aStatus, name: `Ad ${a + 1} of ${adset.name}`, createdMs: aCreated,
          updatedMs: aCreated + Math.floor(rng.next() * (nowMs - aCreated)),
          ordinal: state.adsByOrdinal.length,
          fields: { campaign_id: campaignId, adset_id: adsetId, creative: { id: creative.id }, ...statusFields(aStatus) },
        });
        ad.fields.name = ad.name;
        ad.firstStatsDay = localDay(aCreated, account.timezone);
        state.adsByOrdinal.push(ad);
        state.addEdge(account.id, 'ads', adId);
        state.addEdge(campaignId, 'ads', adId);
        state.addEdge(adsetId, 'ads', adId);
      }
    }
  }
}

function hex(rng: SeededRandom, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

function generateBusinessAssets(state: SimulatorState, rng: SeededRandom, account: AccountInfo, createdMs: number): void {
  const p = state.profile;
  for (let i = 0; i < p.pagesPerBusiness; i++) {
    const pageId = state.allocateId('page');
    add(state, {
      type: 'page', id: pageId, name: `Sim Page ${account.accountId.slice(-4)}-${i + 1}`, createdMs,
      fields: { name: `Sim Page ${account.accountId.slice(-4)}-${i + 1}`, category: 'Shopping & retail', fan_count: rng.int(100, 100_000), verification_status: 'not_verified' },
    });
    state.addEdge(account.businessId, 'owned_pages', pageId);
    state.addEdge(account.id, 'promote_pages', pageId);
    const igId = state.allocateId('instagram_account');
    add(state, {
      type: 'instagram_account', id: igId, createdMs,
      fields: { username: `sim_ig_${igId.slice(-5)}`, follow_count: rng.int(0, 500), followed_by_count: rng.int(100, 50_000), media_count: rng.int(1, 300), profile_pic: 'https://sim.invalid/ig.jpg' },
    });
    state.addEdge(pageId, 'instagram_accounts', igId);
    for (let f = 0; f < p.formsPerPage; f++) {
      const formId = state.allocateId('leadgen_form');
      const formCreated = createdMs + rng.int(1, 300) * MS_PER_DAY;
      add(state, {
        type: 'leadgen_form', id: formId, accountId: account.accountId, name: `Lead form ${f + 1}`, createdMs: formCreated,
        fields: {
          name: `Lead form ${f + 1}`, status: f === 1 ? 'ARCHIVED' : 'ACTIVE', locale: 'en_US', leads_count: p.leadsPerForm,
          questions: [{ key: 'email', label: 'Email', type: 'EMAIL' }, { key: 'full_name', label: 'Full name', type: 'FULL_NAME' }],
          created_time: formCreated,
        },
      });
      state.addEdge(pageId, 'leadgen_forms', formId);
      for (let l = 0; l < p.leadsPerForm; l++) {
        const leadId = state.allocateId('lead');
        const leadCreated = formCreated + rng.int(1, 100) * 3_600_000;
        add(state, {
          type: 'lead', id: leadId, accountId: account.accountId, createdMs: leadCreated,
          fields: {
            form_id: formId, is_organic: rng.chance(0.2), platform: rng.pick(['fb', 'ig']), created_time: leadCreated,
            field_data: [
              { name: 'email', values: [`lead${leadId.slice(-6)}@example.com`] },
              { name: 'full_name', values: [`Lead ${leadId.slice(-4)}`] },
            ],
          },
        });
        state.addEdge(formId, 'leads', leadId);
      }
    }
  }
  for (let i = 0; i < p.catalogsPerBusiness; i++) {
    const catalogId = state.allocateId('product_catalog');
    add(state, { type: 'product_catalog', id: catalogId, name: `Catalog ${i + 1}`, createdMs, fields: { name: `Catalog ${i + 1}`, product_count: p.productsPerCatalog, vertical: 'commerce' } });
    state.addEdge(account.businessId, 'owned_product_catalogs', catalogId);
    for (let f = 0; f < 2; f++) {
      const feedId = state.allocateId('product_feed');
      add(state, { type: 'product_feed', id: feedId, name: `Feed ${f + 1}`, createdMs, fields: { name: `Feed ${f + 1}`, file_name: `feed-${f + 1}.csv`, product_count: Math.ceil(p.productsPerCatalog / 2), schedule: { interval: 'DAILY' } } });
      state.addEdge(catalogId, 'product_feeds', feedId);
    }
    for (let k = 0; k < p.productsPerCatalog; k++) {
      const productId = state.allocateId('product');
      add(state, {
        type: 'product', id: productId, name: `Product ${k + 1}`, createdMs,
        fields: { name: `Product ${k + 1}`, retailer_id: `SKU-${1000 + k}`, price: `${rng.int(5, 300)}.00 ${account.currency}`, availability: rng.pick(['in stock', 'out of stock']), condition: 'new', url: `https://example.com/p/${k + 1}`, image_url: `https://sim.invalid/p/${k + 1}.jpg` },
      });
      state.addEdge(catalogId, 'products', productId);
    }
    for (let k = 0; k < 3; k++) {
      const setId = state.allocateId('product_set');
      add(state, { type: 'product_set', id: setId, name: `Set ${k + 1}`, createdMs, fields: { name: `Set ${k + 1}`, product_count: Math.ceil(p.productsPerCatalog / (k + 1)), filter: '{"availability":{"eq":"in stock"}}' } });
      state.addEdge(catalogId, 'product_sets', setId);
    }
  }
}

function generateAccountAssets(state: SimulatorState, rng: SeededRandom, account: AccountInfo, nowMs: number): void {
  const p = state.profile;
  const custom: string[] = [];
  const total = p.customAudiencesPerAccount + p.lookalikesPerAccount;
  for (let i = 0; i < total; i++) {
    const lookalike = i >= p.customAudiencesPerAccount;
    const id = state.allocateId('customaudience');
    const created = nowMs - rng.int(10, 400) * MS_PER_DAY;
    const lower = rng.int(1, 500) * 1000;
    add(state, {
      type: 'customaudience', id, accountId: account.accountId, name: lookalike ? `Lookalike ${i + 1}` : `Custom audience ${i + 1}`, createdMs: created,
      fields: {
        subtype: lookalike ? 'LOOKALIKE' : rng.pick(['CUSTOM', 'WEBSITE', 'ENGAGEMENT']),
        approximate_count_lower_bound: lower, approximate_count_upper_bound: Math.round(lower * 1.2),
        delivery_status: { code: 200, description: 'This audience is ready for use.' },
        operation_status: { code: 200, description: 'Normal' },
        retention_days: lookalike ? 0 : 180,
        time_created: Math.floor(created / 1000), time_updated: Math.floor(created / 1000) + rng.int(0, 86_400),
        ...(lookalike && custom.length ? { lookalike_spec: { origin: [{ id: custom[i % custom.length], type: 'custom_audience' }], ratio: 0.01, country: 'US' } } : {}),
      },
    });
    if (!lookalike) custom.push(id);
    state.addEdge(account.id, 'customaudiences', id);
  }
  for (let i = 0; i < p.pixelsPerAccount; i++) {
    const id = state.allocateId('adspixel');
    const created = nowMs - rng.int(30, 700) * MS_PER_DAY;
    add(state, {
      type: 'adspixel', id, accountId: account.accountId, name: `Pixel ${i + 1}`, createdMs: created,
      fields: { code: `<!-- pixel ${id} -->`, creation_time: created, last_fired_time: nowMs - rng.int(0, 3_600) * 1000, is_unavailable: false },
    });
    state.addEdge(account.id, 'adspixels', id);
  }
  for (let i = 0; i < p.rulesPerAccount; i++) {
    const id = state.allocateId('adrule');
    const created = nowMs - rng.int(1, 100) * MS_PER_DAY;
    add(state, {
      type: 'adrule', id, accountId: account.accountId, name: `Rule ${i + 1}`, status: i === 2 ? 'DISABLED' : 'ENABLED', createdMs: created,
      fields: {
        status: i === 2 ? 'DISABLED' : 'ENABLED',
        evaluation_spec: { evaluation_type: 'SCHEDULE', filters: [
          { field: 'entity_type', value: 'ADSET', operator: 'EQUAL' },
          { field: 'time_preset', value: 'LAST_3_DAYS', operator: 'EQUAL' },
          { field: 'spent', value: 1500 * (i + 1), operator: 'GREATER_THAN' },
          { field: 'clicks', value: 0, operator: 'EQUAL' },
        ] },
        execution_spec: { execution_type: i === 1 ? 'NOTIFICATION' : 'PAUSE' },
        schedule_spec: { schedule_type: 'SEMI_HOURLY' },
        created_by: { id: state.userId, name: 'Sim User' },
      },
    });
    state.addEdge(account.id, 'adrules_library', id);
  }
}
