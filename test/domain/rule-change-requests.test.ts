import { planUpdates, type PlanContext, type PlanObject } from '../../domain/change-set-plan';
import { planAction } from '../../domain/rule-actions';
import { ruleChangeRequests } from '../../domain/rule-change-requests';

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  currency: 'USD',
  offset: 100,
  limits: { maxBudgetIncreasePct: null, maxDailyBudget: null, maxLifetimeBudget: null, maxDailyIncreasePerDay: null },
  minimumBudgets: { imp: '100', videoViews: '100', highFreq: '500', lowFreq: '4000' },
  dailyIncreaseSoFar: '0',
  nowMs: Date.parse('2026-12-01T12:00:00Z'),
  outstanding: new Map(),
  ...over,
});

const object = (id: string, level: PlanObject['level'], over: Partial<PlanObject> = {}): PlanObject => ({
  id, level, name: `${level} ${id}`, status: 'ACTIVE', campaignId: 'c1', dailyBudget: level === 'ad' ? null : '10000', lifetimeBudget: null, bidAmount: null,
  spendCap: null, bidStrategy: null, startTime: '2026-11-01T00:00:00Z', endTime: null, billingEvent: level === 'adset' ? 'IMPRESSIONS' : null,
  campaignHasBudget: false, removed: false, ...over,
});

describe("a rule's acted objects as a change set", () => {
  test('PAUSE on ads plans exactly the status change the rule recorded', () => {
    const acted = ['a1', 'a2'].map((id) => ({ entityId: id, change: { status: { before: 'ACTIVE', after: 'PAUSED' } } }));
    const requests = ruleChangeRequests('AD', acted, 100);
    expect(requests).toEqual([{ id: 'a1', level: 'ad', set: { status: 'PAUSED' } }, { id: 'a2', level: 'ad', set: { status: 'PAUSED' } }]);
    const plan = planUpdates(requests, new Map(['a1', 'a2'].map((id) => [id, object(id, 'ad')])), ctx());
    expect(plan.items.map((i) => [i.entityId, i.changes.status])).toEqual([['a1', { before: 'ACTIVE', after: 'PAUSED' }], ['a2', { before: 'ACTIVE', after: 'PAUSED' }]]);
    expect(plan.violationCount).toBe(0);
  });

  test('CHANGE_BUDGET +20 % stopped at its limit plans the limit, and the caps still apply', () => {
    const action = { type: 'CHANGE_BUDGET', changeSpec: { amount: 20, unit: 'PERCENTAGE', limit: 11000 } } as Parameters<typeof planAction>[0];
    const planned = planAction(action, { status: 'ACTIVE', dailyBudget: '10000', lifetimeBudget: null, bidAmount: null });
    expect(planned).toEqual({ outcome: 'acted', change: { daily_budget: { before: '10000', after: '11000' } } });
    if (planned.outcome !== 'acted' || !planned.change) throw new Error('expected a change');
    const requests = ruleChangeRequests('ADSET', [{ entityId: 's1', change: planned.change }], 100);
    expect(requests).toEqual([{ id: 's1', level: 'adset', set: { dailyBudget: { amount: '110.00' } } }]);
    const objects = new Map([['s1', object('s1', 'adset')]]);
    const plan = planUpdates(requests, objects, ctx());
    expect(plan.items[0]!.changes.dailyBudget).toEqual({ before: '10000', after: '11000' });
    expect(plan.violationCount).toBe(0);
    // The account's cap blocks what the rule's limit allows.
    const capped = planUpdates(requests, objects, ctx({ limits: { maxBudgetIncreasePct: '5', maxDailyBudget: null, maxLifetimeBudget: null, maxDailyIncreasePerDay: null } }));
    expect(capped.violationCount).toBe(1);
  });

  test('a currency without minor units and a bid change convert exactly; an unknown field is refused', () => {
    expect(ruleChangeRequests('ADSET', [{ entityId: 's1', change: { bid_amount: { before: '150', after: '180' } } }], 1)).toEqual([{ id: 's1', level: 'adset', set: { bidAmount: { amount: '180' } } }]);
    expect(ruleChangeRequests('CAMPAIGN', [{ entityId: 'c1', change: { lifetime_budget: { before: '500000', after: '600005' } } }], 100)).toEqual([{ id: 'c1', level: 'campaign', set: { lifetimeBudget: { amount: '6000.05' } } }]);
    expect(() => ruleChangeRequests('AD', [{ entityId: 'a1', change: { name: { before: 'x', after: 'y' } } }], 100)).toThrow('a rule does not change name');
  });
});
