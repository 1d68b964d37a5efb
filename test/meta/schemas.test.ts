import Decimal from 'decimal.js';
import { ValidationError } from '../../src/errors';
import {
  flattenActions,
  parseHourRange,
  parseInsightsRow,
  parseReportRun,
  parseAd,
  parseAdAccount,
  parseAdCreative,
  parseAdRule,
  parseAdSet,
  parseBusiness,
  parseCampaign,
  parseCustomAudience,
  parseInstagramAccount,
  parseLead,
  parseLeadForm,
  parsePage,
  parsePixel,
  parseProduct,
  parseProductCatalog,
  parseProductFeed,
  parseProductSet,
} from '../../src/meta/objects';
import { parseMetaTime } from '../../src/meta/wire-values';

const usd = { currency: 'USD', adAccountId: 'act_111' };
const dec = (v: string) => new Decimal(v);

describe('Meta times', () => {
  it('parses ±hhmm offsets, ISO and unix seconds', () => {
    expect(parseMetaTime('2024-03-12T15:02:47-0700').toISOString()).toBe('2024-03-12T22:02:47.000Z');
    expect(parseMetaTime('2025-08-01T00:00:00+0500').toISOString()).toBe('2025-07-31T19:00:00.000Z');
    expect(parseMetaTime('2024-03-12T15:02:47+01:00').toISOString()).toBe('2024-03-12T14:02:47.000Z');
    expect(parseMetaTime(1710000000).toISOString()).toBe('2024-03-09T16:00:00.000Z');
    expect(() => parseMetaTime('yesterday')).toThrow(ValidationError);
  });
});

describe('entity parsers', () => {
  it('ad account: act_ id, money in the account currency, spend cap "0" = none', () => {
    const a = parseAdAccount({
      id: 'act_111', account_id: '111', name: 'Shop', account_status: 1, disable_reason: 0, currency: 'JPY',
      timezone_name: 'Asia/Tokyo', timezone_offset_hours_utc: 9, amount_spent: '123456', balance: '0', spend_cap: '0',
      created_time: '2023-01-02T03:04:05+0900', business: { id: '999', name: 'Biz' },
    });
    expect(a).toMatchObject({ id: 'act_111', accountId: '111', businessId: '999', currency: 'JPY', accountStatus: 1, spendCap: null });
    expect(a.amountSpent?.equals(dec('123456'))).toBe(true);
    expect(a.timezoneOffsetHours?.toString()).toBe('9');
    expect(a.createdTime?.toISOString()).toBe('2023-01-01T18:04:05.000Z');
  });

  it('campaign: ids as strings, budgets from minor units, times as Dates', () => {
    const c = parseCampaign(
      {
        id: '120211909128310758', account_id: '111111111111111', name: 'Spring', objective: 'OUTCOME_SALES',
        status: 'ACTIVE', configured_status: 'ACTIVE', effective_status: 'ACTIVE', buying_type: 'AUCTION',
        bid_strategy: 'LOWEST_COST_WITHOUT_CAP', daily_budget: '25000', budget_remaining: '24999', lifetime_budget: '0',
        special_ad_categories: [], created_time: '2024-03-12T15:02:47-0700', start_time: '2024-03-12T15:02:47-0700',
        updated_time: '2024-03-12T15:02:47-0700',
      },
      usd,
    );
    expect(c.id).toBe('120211909128310758');
    expect(c.adAccountId).toBe('act_111111111111111');
    expect(c.dailyBudget?.equals(dec('250'))).toBe(true);
    expect(c.budgetRemaining?.equals(dec('249.99'))).toBe(true);
    expect(c.lifetimeBudget).toBeNull();
    expect(c.stopTime).toBeNull();
    expect(c.updatedTime).toEqual(new Date('2024-03-12T22:02:47Z'));
    expect(c.specialAdCategories).toEqual([]);
  });

  it('ad set: targeting kept as JSON, bid amount in major units', () => {
    const s = parseAdSet(
      {
        id: '120249381600520074', campaign_id: '120249381600010074', name: 'karachi 25', status: 'PAUSED', effective_status: 'PAUSED',
        daily_budget: '50000', lifetime_budget: '0', budget_remaining: '0', bid_amount: 150, optimization_goal: 'LEAD_GENERATION',
        billing_event: 'IMPRESSIONS', targeting: { age_min: 25, geo_locations: { countries: ['PK'] } },
        start_time: '2025-08-01T00:00:00+0500', end_time: '2025-08-31T23:59:59+0500',
      },
      usd,
    );
    expect(s.adAccountId).toBe('act_111');
    expect(s.campaignId).toBe('120249381600010074');
    expect(s.dailyBudget?.toString()).toBe('500');
    expect(s.budgetRemaining?.toString()).toBe('0');
    expect(s.bidAmount?.toString()).toBe('1.5');
    expect(s.targeting).toEqual({ age_min: 25, geo_locations: { countries: ['PK'] } });
    expect(s.endTime?.toISOString()).toBe('2025-08-31T18:59:59.000Z');
  });

  it('ad: creative id from the expanded field', () => {
    const ad = parseAd({ id: '1', account_id: '111', adset_id: '2', campaign_id: '3', creative: { id: '44', name: 'c' }, status: 'ACTIVE', effective_status: 'ADSET_PAUSED' }, usd);
    expect(ad).toMatchObject({ id: '1', adsetId: '2', campaignId: '3', creativeId: '44', effectiveStatus: 'ADSET_PAUSED' });
  });

  it('creative with carousel cards', () => {
    const c = parseAdCreative(
      {
        id: '9', account_id: '111', name: 'Carousel', object_story_spec: { page_id: '5', link_data: { child_attachments: [{ name: 'A', link: 'https://a', image_hash: 'h1' }, { name: 'B', video_id: '77' }] } },
      },
    );
    expect(c.adAccountId).toBe('act_111');
    expect(c.carouselCards.map((k) => [k.position, k.name, k.imageHash, k.videoId])).toEqual([[0, 'A', 'h1', null], [1, 'B', null, '77']]);
  });

  it('custom audience: bigint bounds, unix times, lookalike origin, JSON rule string', () => {
    const a = parseCustomAudience(
      {
        id: '23850000000000001', name: 'LAL', subtype: 'LOOKALIKE', approximate_count_lower_bound: 1800000, approximate_count_upper_bound: '2100000',
        rule: '{"inclusions":{"operator":"or"}}', lookalike_spec: { ratio: 0.01, origin: [{ id: '238', type: 'custom_audience' }] },
        time_created: 1710000000, time_updated: '1710003600', delivery_status: { code: 200 },
      },
      { adAccountId: '111' },
    );
    expect(a.approximateCountLowerBound).toBe(1800000n);
    expect(a.approximateCountUpperBound).toBe(2100000n);
    expect(a.rule).toEqual({ inclusions: { operator: 'or' } });
    expect(a.originAudienceId).toBe('238');
    expect(a.timeUpdated?.toISOString()).toBe('2024-03-09T17:00:00.000Z');
    expect(a.adAccountId).toBe('act_111');
  });

  it('pixel, business, page, instagram, lead form, lead', () => {
    expect(parsePixel({ id: '7', name: 'P', last_fired_time: '2024-03-12T15:02:47-0700', is_unavailable: false }, { adAccountId: 'act_1' })).toMatchObject({ id: '7', adAccountId: 'act_1', isUnavailable: false });
    expect(parseBusiness({ id: '5', name: 'B', verification_status: 'verified' })).toMatchObject({ id: '5', verificationStatus: 'verified' });
    expect(parsePage({ id: '6', name: 'Pg', category: 'Shop', instagram_business_account: { id: '17841' } }, { businessId: '5' })).toMatchObject({ businessId: '5', instagramAccountId: '17841' });
    expect(parseInstagramAccount({ id: '17841', username: 'shop' }, { pageId: '6' })).toMatchObject({ pageId: '6', username: 'shop' });
    const form = parseLeadForm({ id: '8', name: 'F', status: 'ACTIVE', leads_count: 3, questions: [{ type: 'EMAIL' }], created_time: '2024-03-12T15:02:47-0700' }, { pageId: '6' });
    expect(form).toMatchObject({ pageId: '6', leadsCount: 3 });
    const lead = parseLead({ id: '9', form_id: '8', ad_id: '1', is_organic: false, platform: 'fb', created_time: '2024-03-12T15:02:47-0700', field_data: [{ name: 'email', values: ['a@b.c'] }] });
    expect(lead.fieldData).toEqual([{ name: 'email', values: ['a@b.c'] }]);
    expect('raw' in lead).toBe(false);
    expect(() => parseLead({ id: '9' })).toThrow(/without its form/);
  });

  it('catalog, feed, product (display price), product set, ad rule', () => {
    expect(parseProductCatalog({ id: '1', name: 'C', vertical: 'commerce', product_count: 10, business: { id: '5' } })).toMatchObject({ businessId: '5', productCount: 10 });
    expect(parseProductFeed({ id: '2', name: 'F', schedule: { interval: 'DAILY' } }, { catalogId: '1' })).toMatchObject({ catalogId: '1', schedule: { interval: 'DAILY' } });
    const p = parseProduct({ id: '3', retailer_id: 'SKU-1', price: '1,234.50 USD', availability: 'in stock' }, { catalogId: '1' });
    expect(p.price?.toString()).toBe('1234.5');
    expect(p.currency).toBe('USD');
    expect(parseProductSet({ id: '4', filter: '{"retailer_id":{"is_any":["SKU-1"]}}' }, { catalogId: '1' }).filter).toEqual({ retailer_id: { is_any: ['SKU-1'] } });
    const rule = parseAdRule({ id: '55', account_id: '111', name: 'R', status: 'ENABLED', evaluation_spec: { evaluation_type: 'SCHEDULE' }, created_by: { id: '10', name: 'U' } });
    expect(rule).toMatchObject({ metaRuleId: '55', adAccountId: 'act_111', createdBy: '10' });
  });

  it('rejects objects without an id, or with unsafe numeric ids', () => {
    expect(() => parseCampaign({ name: 'x' }, usd)).toThrow(ValidationError);
    expect(() => parseCampaign({ id: 120211909128310758 }, usd)).toThrow(/unexpected campaign: id/);
  });
});

describe('insights', () => {
  const row = {
    account_id: '111', campaign_id: '120', date_start: '2025-03-14', date_stop: '2025-03-14', impressions: '2425', clicks: '40',
    reach: '1982', frequency: '1.223512', spend: '9.72', ctr: '1.649485', cpc: '0.243', cpm: '4.008247',
    actions: [
      { action_type: 'link_click', value: '31' },
      { action_type: 'offsite_conversion.fb_pixel_purchase', value: '2', '7d_click': '2', '1d_view': '0' },
    ],
    action_values: [{ action_type: 'offsite_conversion.fb_pixel_purchase', value: '59.80', '7d_click': '59.80' }],
  };

  it('parses counters as bigint and money as exact Decimal', () => {
    const r = parseInsightsRow(row, { level: 'campaign' });
    expect(r).toMatchObject({ level: 'campaign', entityId: '120', adAccountId: 'act_111', dateStart: '2025-03-14', impressions: 2425n, clicks: 40n, reach: 1982n, inlineLinkClicks: 0n, uniqueClicks: null });
    expect(r.spend.toString()).toBe('9.72');
    expect(r.cpc?.toString()).toBe('0.243');
    expect(r.localHour).toBeUndefined();
  });

  it('flattens actions and action values per attribution window', () => {
    const r = parseInsightsRow(row, { level: 'campaign' });
    const simple = r.actions.map((a) => [a.actionType, a.attributionWindow, a.count.toString(), a.value?.toString()]);
    expect(simple).toEqual([
      ['link_click', 'value', '31', undefined],
      ['offsite_conversion.fb_pixel_purchase', 'value', '2', '59.8'],
      ['offsite_conversion.fb_pixel_purchase', '7d_click', '2', '59.8'],
      ['offsite_conversion.fb_pixel_purchase', '1d_view', '0', undefined],
    ]);
    const withBreakdown = flattenActions([{ action_type: 'link_click', action_destination: 'site', value: '3' }]);
    expect(withBreakdown[0]).toMatchObject({ actionType: 'link_click', attributionWindow: 'value', actionBreakdowns: { action_destination: 'site' } });
  });

  it('turns the hourly breakdown into localHour and keeps other breakdowns', () => {
    const r = parseInsightsRow(
      { ...row, ad_id: '9', hourly_stats_aggregated_by_advertiser_time_zone: '13:00:00 - 13:59:59', country: 'DE' },
      { level: 'ad', breakdowns: ['hourly_stats_aggregated_by_advertiser_time_zone', 'country'] },
    );
    expect(r.localHour).toBe(13);
    expect(r.entityId).toBe('9');
    expect(r.breakdowns).toEqual({ country: 'DE' });
    expect(parseHourRange('00:00:00 - 00:59:59')).toBe(0);
    expect(() => parseHourRange('25:00:00 - 25:59:59')).toThrow(ValidationError);
  });

  it('account rows use the act_ id; a row without the level id is rejected', () => {
    expect(parseInsightsRow(row, { level: 'account' }).entityId).toBe('act_111');
    expect(() => parseInsightsRow(row, { level: 'ad' })).toThrow(/without its ad id/);
  });

  it('parses report runs, terminal or not', () => {
    expect(parseReportRun({ id: '61', async_status: 'Job Running', async_percent_completion: 42 })).toMatchObject({ id: '61', status: 'Job Running', percent: 42, done: false });
    const failed = parseReportRun({ id: '61', async_status: 'Job Failed', async_percent_completion: 0, error_code: -2, error_subcode: 2490547, error_message: 'Report Failed' });
    expect(failed).toMatchObject({ done: true, error: { code: -2, subcode: 2490547, message: 'Report Failed' } });
  });
});
