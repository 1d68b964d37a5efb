import { mergeUsage, parseUsageHeaders, readHeader } from '../../src/meta/usage-headers';

describe('parseUsageHeaders', () => {
  const headers = {
    'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":31}',
    'x-ad-account-usage': '{"acc_id_util_pct":9.67,"reset_time_duration":100,"ads_api_access_tier":"standard_access"}',
    'x-business-use-case-usage': JSON.stringify({
      '66782684': [
        { type: 'ads_management', call_count: 95, total_cputime: 20, total_time: 20, estimated_time_to_regain_access: 0, ads_api_access_tier: 'development_access' },
        { type: 'ads_insights', call_count: 12, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 7 },
      ],
      '123': [{ type: 'custom_audience', call_count: 1, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 2 }],
    }),
    'x-fb-ads-insights-throttle': '{"app_id_util_pct":12.5,"acc_id_util_pct":40,"ads_api_access_tier":"standard_access"}',
  };

  it('reads all four headers into typed parts', () => {
    const usage = parseUsageHeaders(headers);
    expect(usage.appUsage).toEqual({ callCount: 28, totalTime: 25, totalCputime: 31 });
    expect(usage.adAccountUsage).toEqual({ accIdUtilPct: 9.67, resetTimeDurationSec: 100, accessTier: 'standard_access' });
    expect(usage.insightsThrottle).toEqual({ appIdUtilPct: 12.5, accIdUtilPct: 40, accessTier: 'standard_access' });
    expect(usage.businessUseCase).toHaveLength(3);
    expect(usage.businessUseCase?.find((e) => e.type === 'ads_management')).toEqual({
      objectId: '66782684', type: 'ads_management', callCount: 95, totalCputime: 20, totalTime: 20,
      estimatedTimeToRegainAccessMin: 0, accessTier: 'development_access',
    });
    expect(usage.accessTier).toBe('standard_access');
  });

  it('takes the highest percentage and the longest regain time (minutes → ms)', () => {
    const usage = parseUsageHeaders(headers);
    expect(usage.maxPct).toBe(95);
    expect(usage.regainAfterMs).toBe(7 * 60_000);
  });

  it('is case-insensitive and accepts batch-style header lists', () => {
    expect(parseUsageHeaders({ 'X-App-Usage': '{"call_count":50}' }).maxPct).toBe(50);
    const list = [{ name: 'Content-Type', value: 'text/javascript' }, { name: 'X-Ad-Account-Usage', value: '{"acc_id_util_pct":77}' }];
    expect(parseUsageHeaders(list).adAccountUsage?.accIdUtilPct).toBe(77);
    expect(readHeader(list, 'content-type')).toBe('text/javascript');
  });

  it('tolerates missing, garbled and oddly shaped headers', () => {
    expect(parseUsageHeaders(undefined)).toEqual({ maxPct: 0 });
    expect(parseUsageHeaders({})).toEqual({ maxPct: 0 });
    const usage = parseUsageHeaders({
      'x-app-usage': '{not json',
      'x-ad-account-usage': '[1,2]',
      'x-business-use-case-usage': '{"1":{"type":"ads_management","call_count":"60","estimated_time_to_regain_access":"abc"},"2":[null,5]}',
      'x-fb-ads-insights-throttle': '{}',
    });
    expect(usage.appUsage).toBeUndefined();
    expect(usage.adAccountUsage).toBeUndefined();
    expect(usage.insightsThrottle).toBeUndefined();
    expect(usage.businessUseCase).toEqual([{ objectId: '1', type: 'ads_management', callCount: 60 }]);
    expect(usage.maxPct).toBe(60);
    expect(usage.regainAfterMs).toBeUndefined();
  });

  it('merges usages keeping the worst figures', () => {
    const a = parseUsageHeaders({ 'x-app-usage': '{"call_count":80}' });
    const b = parseUsageHeaders({ 'x-business-use-case-usage': '{"1":[{"call_count":10,"estimated_time_to_regain_access":3}]}' });
    const merged = mergeUsage(a, b);
    expect(merged.maxPct).toBe(80);
    expect(merged.regainAfterMs).toBe(180_000);
    expect(merged.appUsage?.callCount).toBe(80);
  });
});
