import { assignChunks, MAX_CHUNK_SIZE } from '../../domain/change-set-chunks';
import { canonicalPlanText, planUpdates, type PlanContext, type PlanObject, type RequestedItem } from '../../domain/change-set-plan';
import { applyPercent, formatMinor, majorToMinor, parsePercent } from '../../domain/minor-units';
import { planCreate } from '../../domain/object-create-plan';
import { changeSetStart } from '../../domain/starts/change-set';

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  currency: 'USD',
  offset: 100,
  limits: { maxBudgetIncreasePct: '50', maxDailyBudget: null, maxLifetimeBudget: null, maxDailyIncreasePerDay: null },
  minimumBudgets: { imp: '100', videoViews: '100', highFreq: '500', lowFreq: '4000' },
  dailyIncreaseSoFar: '0',
  nowMs: Date.parse('2026-12-01T12:00:00Z'),
  outstanding: new Map(),
  ...over,
});

const adset = (id: string, over: Partial<PlanObject> = {}): PlanObject => ({
  id, level: 'adset', name: `Ad set ${id}`, status: 'ACTIVE', campaignId: 'c1', dailyBudget: '12345', lifetimeBudget: null, bidAmount: '200',
  spendCap: null, bidStrategy: 'LOWEST_COST_WITHOUT_CAP', startTime: '2026-11-01T00:00:00Z', endTime: null, billingEvent: 'IMPRESSIONS',
  campaignHasBudget: false, removed: false, ...over,
});

const objects = (...list: PlanObject[]) => new Map(list.map((o) => [o.id, o]));

describe('minor units', () => {
  test('amounts convert without floats and refuse fractions the currency cannot have', () => {
    expect(majorToMinor('250', 100)).toBe(25000n);
    expect(majorToMinor('0.1', 100)).toBe(10n);
    expect(majorToMinor('19.99', 100)).toBe(1999n);
    expect(majorToMinor('1.005', 100)).toBeNull();
    expect(majorToMinor('150', 1)).toBe(150n);
    expect(majorToMinor('150.5', 1)).toBeNull();
    expect(formatMinor(14814n, 100)).toBe('148.14');
    expect(formatMinor('-5', 100)).toBe('-0.05');
  });

  test('percentages resolve exactly, halves rounded away from zero', () => {
    expect(applyPercent(12345n, parsePercent('20')!)).toBe(14814n);
    expect(applyPercent(1000n, parsePercent('-12.5')!)).toBe(875n);
    expect(applyPercent(5n, parsePercent('10')!)).toBe(6n); // 5.5 → 6
    // 0.1 + 0.2 style float drift cannot happen: +10 % of 0.30 is exactly 0.33.
    expect(applyPercent(30n, parsePercent('10')!)).toBe(33n);
  });
});

describe('planUpdates', () => {
  test('+20 % is resolved once into an absolute after value, with floor and ceiling', () => {
    const plan = planUpdates(
      [
        { id: '1', level: 'adset', set: { dailyBudget: { percent: '20' } } },
        { id: '2', level: 'adset', set: { dailyBudget: { percent: '20', ceiling: '130.00' } } },
        { id: '3', level: 'adset', set: { dailyBudget: { percent: '-90', floor: '50' } } },
      ],
      objects(adset('1'), adset('2'), adset('3')),
      ctx(),
    );
    expect(plan.items.map((i) => i.changes.dailyBudget)).toEqual([
      { before: '12345', after: '14814' },
      { before: '12345', after: '13000' },
      { before: '12345', after: '5000' },
    ]);
    expect(plan.violationCount).toBe(0);
    expect(plan.totals.byCurrency.USD).toEqual({ dailyBudgetDelta: '-42.21', lifetimeBudgetDelta: '0.00', dailyBudgetIncrease: '31.24' });
    expect(plan.requiresConfirmation).toBe(true);
  });

  test("every blocking rule is a violation naming the object and the field", () => {
    const plan = planUpdates(
      [
        { id: '1', level: 'adset', set: { dailyBudget: { amount: '0.50' } } }, // below Meta's minimum of USD 1.00
        { id: '2', level: 'adset', set: { dailyBudget: { amount: '100' } } }, // campaign budget
        { id: '3', level: 'adset', set: { lifetimeBudget: { amount: '500' } } }, // has a daily budget
        { id: '4', level: 'adset', set: { name: 'x', status: 'ACTIVE' } }, // archived: only the name
        { id: '5', level: 'adset', set: { dailyBudget: { percent: '60' } } }, // above the 50 % cap
        { id: '6', level: 'ad', set: { status: 'PAUSED' } }, // unknown
        { id: '7', level: 'campaign', set: { spendCap: { amount: '100' }, lifetimeBudget: { amount: '1000' } } },
        { id: '1', level: 'adset', set: { name: 'again' } }, // twice
      ],
      objects(
        adset('1'),
        adset('2', { campaignHasBudget: true, dailyBudget: null }),
        adset('3'),
        adset('4', { status: 'ARCHIVED' }),
        adset('5'),
        { ...adset('7'), level: 'campaign', dailyBudget: null, lifetimeBudget: '100000', endTime: null, campaignId: '7' },
      ),
      ctx(),
    );
    const codes = plan.items.map((i) => i.violations.map((v) => v.code));
    expect(codes).toEqual([
      ['BELOW_MINIMUM_BUDGET'],
      ['CAMPAIGN_BUDGET_CONFLICT'],
      ['BUDGET_TYPE_CONFLICT', 'LIFETIME_BUDGET_WITHOUT_END'],
      ['OBJECT_ARCHIVED'],
      ['INCREASE_TOO_LARGE'],
      ['UNKNOWN_OBJECT'],
      ['LIFETIME_BUDGET_WITHOUT_END'],
      ['DUPLICATE_OBJECT'],
    ]);
    expect(plan.items[0]!.violations[0]!.message).toContain('USD 1.00');
    expect(plan.items[4]!.violations[0]).toEqual(expect.objectContaining({ field: 'dailyBudget', objectId: '5' }));
    expect(plan.violationCount).toBe(9);
  });

  test("a day's total increase above the account cap blocks the whole set", () => {
    const requests: RequestedItem[] = ['1', '2'].map((id) => ({ id, level: 'adset', set: { dailyBudget: { percent: '10' } } }));
    const plan = planUpdates(requests, objects(adset('1'), adset('2')), ctx({ limits: { ...ctx().limits, maxDailyIncreasePerDay: '2000' }, dailyIncreaseSoFar: '500' }));
    expect(plan.violations.map((v) => v.code)).toEqual(['DAILY_INCREASE_CAP']);
    expect(plan.violations[0]!.message).toContain('USD 24.70');
  });

  test('pauses and decreases only lower spend; resume, archive, raises and later ends need the separate confirm', () => {
    const lowers = planUpdates(
      [
        { id: '1', level: 'adset', set: { status: 'PAUSED' } },
        { id: '2', level: 'adset', set: { dailyBudget: { percent: '-10' }, name: 'cheaper' } },
      ],
      objects(adset('1'), adset('2')),
      ctx(),
    );
    expect(lowers.requiresConfirmation).toBe(false);
    expect(lowers.totals.objectsTurnedOff).toBe(1);
    for (const set of [{ status: 'ACTIVE' as const }, { status: 'ARCHIVED' as const }, { dailyBudget: { amount: '200' } }, { endTime: '2027-01-01T00:00:00Z' }]) {
      const plan = planUpdates([{ id: '1', level: 'adset', set }], objects(adset('1', { status: 'PAUSED', endTime: '2026-12-20T00:00:00Z' })), ctx());
      expect(plan.requiresConfirmation).toBe(true);
    }
  });

  test('the canonical plan text is the same for the same plan and differs for any other', () => {
    const items = [{ position: 0, level: 'adset', entityId: '1', chunk: 0, changes: { status: { before: 'ACTIVE', after: 'PAUSED' }, name: { before: 'a', after: 'b' } } }];
    const reordered = [{ ...items[0]!, changes: { name: { before: 'a', after: 'b' }, status: { before: 'ACTIVE', after: 'PAUSED' } } }];
    const base = { changeSetId: 'cs', adAccountId: 'act_1', kind: 'update' };
    expect(canonicalPlanText({ ...base, items })).toBe(canonicalPlanText({ ...base, items: reordered }));
    expect(canonicalPlanText({ ...base, items })).not.toBe(canonicalPlanText({ ...base, items: [{ ...items[0]!, changes: { status: { before: 'ACTIVE', after: 'ARCHIVED' } } }] }));
  });
});

describe('assignChunks', () => {
  test('at most 50 per chunk, one level per chunk, never two ad sets of one campaign, and no more chunks than needed', () => {
    // 300 ad sets in 60 campaigns (5 each), then 120 ads.
    const items = [
      ...Array.from({ length: 300 }, (_, i) => ({ position: i, level: 'adset' as const, campaignId: `c${i % 60}` })),
      ...Array.from({ length: 120 }, (_, i) => ({ position: 300 + i, level: 'ad' as const, campaignId: `c${i % 7}` })),
    ];
    const { chunkOf, chunkCount } = assignChunks(items);
    const chunks = new Map<number, typeof items>();
    for (const item of items) chunks.set(chunkOf.get(item.position)!, [...(chunks.get(chunkOf.get(item.position)!) ?? []), item]);
    expect(chunkCount).toBe(chunks.size);
    for (const list of chunks.values()) {
      expect(list.length).toBeLessThanOrEqual(MAX_CHUNK_SIZE);
      expect(new Set(list.map((i) => i.level)).size).toBe(1);
      if (list[0]!.level === 'adset') expect(new Set(list.map((i) => i.campaignId)).size).toBe(list.length);
    }
    expect(chunkCount).toBe(Math.ceil(300 / 50) + Math.ceil(120 / 50));
  });

  test('a campaign with many ad sets needs one chunk per ad set of it', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ position: i, level: 'adset' as const, campaignId: i < 10 ? 'big' : `other${i}` }));
    expect(assignChunks(items).chunkCount).toBe(10);
  });
});

describe('planCreate', () => {
  const createCtx = { ...ctx(), takenNames: new Set(['Taken']), parent: null, creative: null };

  test('names what Meta requires, refuses a taken name, and always plans PAUSED', () => {
    const plan = planCreate(
      { level: 'adset', spec: { name: 'Taken', campaignId: '9', optimizationGoal: 'OFFSITE_CONVERSIONS', billingEvent: 'IMPRESSIONS', targeting: {} } },
      { ...createCtx, parent: { id: '9', level: 'campaign', status: 'ACTIVE', removed: false, campaignId: '9', objective: 'OUTCOME_SALES', hasBudget: false } },
    );
    expect(plan.item.violations.map((v) => v.code).sort()).toEqual(['BUDGET_REQUIRED', 'DUPLICATE_NAME', 'MISSING_FIELD', 'PROMOTED_OBJECT_REQUIRED']);
    expect(plan.item.violations.find((v) => v.code === 'PROMOTED_OBJECT_REQUIRED')!.message).toContain('pixel_id and custom_event_type');
    expect(plan.item.spec.status).toBe('PAUSED');
    expect(plan.requiresConfirmation).toBe(true);
  });

  test('a valid campaign plans its Meta fields with money in minor units', () => {
    const plan = planCreate({ level: 'campaign', spec: { name: 'New', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [], dailyBudget: '25' } }, createCtx);
    expect(plan.violationCount).toBe(0);
    expect(plan.item.spec).toEqual({ name: 'New', status: 'PAUSED', objective: 'OUTCOME_TRAFFIC', specialAdCategories: [], dailyBudget: '2500' });
  });
});

describe('changeSetStart', () => {
  test('one run per set, ids-only attributes, and a summary of what it changes', () => {
    const input = { companyId: 'c', adAccountId: 'act_9', changeSetId: 'cs-1', kind: 'update' as const, planHash: 'h', expiresAt: '2026-12-01T13:00:00Z', itemCount: 300 };
    const spec = changeSetStart({ companyId: 'c', adAccountId: 'act_9', accountName: 'Shop' }, input, { dailyBudgetDelta: { EUR: '612.40' }, objectsTurnedOff: 2 });
    expect(spec).toMatchObject({ workflowType: 'changeSetWorkflow', workflowId: 'meta-change-set:cs-1', args: [input], memo: { changeSetId: 'cs-1', kind: 'change-set' } });
    expect(spec.staticSummary).toBe('Change 300 objects of Shop (act_9), daily budgets +612.40 EUR, 2 turned off');
    expect(changeSetStart({ companyId: 'c', adAccountId: 'act_9' }, { ...input, itemCount: 1, kind: 'create' }, { dailyBudgetDelta: { EUR: '0.00' } }).staticSummary).toBe('Create 1 object of act_9');
  });
});
