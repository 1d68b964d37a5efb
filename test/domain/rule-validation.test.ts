import { compileRule } from '../../domain/rule-validation';
import { applyPercent, cooldownOutcome, planAction } from '../../domain/rule-actions';

const spec = (filters: unknown[], execution: unknown = { execution_type: 'PAUSE' }, schedule: unknown = { schedule_type: 'HOURLY' }) => ({
  evaluation_spec: { evaluation_type: 'SCHEDULE', filters },
  execution_spec: execution,
  schedule_spec: schedule,
});
const ADSET = { field: 'entity_type', operator: 'EQUAL', value: 'ADSET' };
const AD = { field: 'entity_type', operator: 'EQUAL', value: 'AD' };
const LAST_3D = { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3D' };

function issues(input: ReturnType<typeof spec>): string[] {
  const result = compileRule(input);
  if (result.ok) throw new Error('expected issues');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('rule validation names the field and what is allowed', () => {
  test("Meta's example rule compiles, with the implied status filter", () => {
    const result = compileRule(spec([ADSET, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_3_DAYS' }, { field: 'spent', value: 1500, operator: 'GREATER_THAN' }, { field: 'clicks', value: 0, operator: 'EQUAL' }], { execution_type: 'PAUSE' }, { schedule_type: 'SEMI_HOURLY' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rule.status).toEqual({ operator: 'IN', values: ['ACTIVE', 'PENDING_REVIEW'], implied: true });
    expect(result.rule.insights.map((c) => [c.metric, c.preset, c.operator, c.value])).toEqual([['spent', 'LAST_3_DAYS', 'GREATER_THAN', 1500], ['clicks', 'LAST_3_DAYS', 'EQUAL', 0]]);
    expect(result.rule.raisesSpend).toBe(false);
  });

  test('UNPAUSE implies NOT_IN [ARCHIVED, DELETED] and raises spend', () => {
    const result = compileRule(spec([AD], { execution_type: 'UNPAUSE' }));
    expect(result.ok && result.rule.status).toEqual({ operator: 'NOT_IN', values: ['ARCHIVED', 'DELETED'], implied: true });
    expect(result.ok && result.rule.raisesSpend).toBe(true);
  });

  test('an unknown field, an unknown operator and a field of another level', () => {
    const found = issues(spec([AD, LAST_3D, { field: 'spend', operator: 'GREATER_THAN', value: 1 }, { field: 'spent', operator: 'BIGGER', value: 1 }, { field: 'daily_budget', operator: 'GREATER_THAN', value: 1 }]));
    expect(found[0]).toMatch(/filters\[2\] \(spend\): unknown field spend; metadata fields are id, name, .*insights fields are spent, /);
    expect(found[1]).toMatch(/filters\[3\] \(spent\): unknown operator BIGGER; operators are GREATER_THAN, /);
    expect(found[2]).toMatch(/filters\[4\] \(daily_budget\): AD objects have no daily_budget; it exists on ADSET, CAMPAIGN/);
  });

  test('a ratio or unique metric over a multi-day preset, and reach of today', () => {
    expect(issues(spec([AD, LAST_3D, { field: 'frequency', operator: 'GREATER_THAN', value: 2 }]))[0]).toMatch(/frequency is a ratio or unique metric \(reach, frequency, unique_\*, cpp\) and cannot be summed over LAST_3D: use time_preset YESTERDAY/);
    expect(issues(spec([AD, { field: 'time_preset', operator: 'EQUAL', value: 'TODAY' }, { field: 'reach', operator: 'GREATER_THAN', value: 2 }]))[0]).toMatch(/reach needs a unique count .* use time_preset YESTERDAY/);
    expect(compileRule(spec([AD, { field: 'time_preset', operator: 'EQUAL', value: 'YESTERDAY' }, { field: 'cpp', operator: 'LESS_THAN', value: 500 }])).ok).toBe(true);
  });

  test('CHANGE_BUDGET on an entity type without that budget', () => {
    const change = { field: 'change_spec', operator: 'EQUAL', value: { amount: -10, unit: 'PERCENTAGE' } };
    expect(issues(spec([AD], { execution_type: 'CHANGE_BUDGET', execution_options: [change] }))[0]).toMatch(/CHANGE_BUDGET changes the ad set's budget; AD objects have none: use entity_type ADSET/);
    expect(issues(spec([ADSET], { execution_type: 'CHANGE_CAMPAIGN_BUDGET', execution_options: [change] }))[0]).toMatch(/use entity_type CAMPAIGN \(ad set budgets: CHANGE_BUDGET with entity_type ADSET\)/);
  });

  test('a percentage raise without a limit; a lowering without one is fine', () => {
    const raise = { execution_type: 'CHANGE_BUDGET', execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE' } }] };
    expect(issues(spec([ADSET], raise))[0]).toMatch(/a PERCENTAGE change that raises the budget needs a limit \(the ceiling, in minor units\)/);
    const limited = compileRule(spec([ADSET], { ...raise, execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: 20, unit: 'PERCENTAGE', limit: 50000 } }] }));
    expect(limited.ok && limited.rule.raisesSpend).toBe(true);
    expect(compileRule(spec([ADSET], { ...raise, execution_options: [{ field: 'change_spec', operator: 'EQUAL', value: { amount: -20, unit: 'PERCENTAGE' } }] })).ok).toBe(true);
  });

  test("a TRIGGER rule, Meta's ROAS presets and a CUSTOM schedule off the 30-minute grid are refused with what to use", () => {
    expect(issues({ ...spec([AD]), evaluation_spec: { evaluation_type: 'TRIGGER', filters: [AD] } })[0]).toMatch(/TRIGGER rules run on Meta only/);
    expect(issues(spec([AD, { field: 'time_preset', operator: 'EQUAL', value: 'LAST_ND_30_8' }]))[0]).toMatch(/ROAS presets/);
    expect(issues(spec([AD], undefined, { schedule_type: 'CUSTOM', schedule: [{ start_minute: 45 }] }))[0]).toMatch(/start_minute is minutes after local midnight in steps of 30/);
    expect(issues(spec([{ field: 'time_preset', operator: 'EQUAL', value: 'TODAY' }]))[0]).toMatch(/needs an entity_type filter/);
  });
});

describe('actions', () => {
  const budgetRule = { type: 'CHANGE_BUDGET' as const, changeSpec: { amount: 20, unit: 'PERCENTAGE' as const, limit: 15000 } };
  const snapshot = { status: 'ACTIVE', dailyBudget: '10000', lifetimeBudget: null, bidAmount: null };
  test('+20 % moves a budget and stops at the limit', () => {
    expect(planAction(budgetRule, snapshot)).toEqual({ outcome: 'acted', change: { daily_budget: { before: '10000', after: '12000' } } });
    expect(planAction(budgetRule, { ...snapshot, dailyBudget: '14000' })).toEqual({ outcome: 'acted', change: { daily_budget: { before: '14000', after: '15000' } } });
    expect(planAction(budgetRule, { ...snapshot, dailyBudget: '15000' })).toEqual({ outcome: 'at_limit' });
    expect(planAction(budgetRule, { ...snapshot, dailyBudget: null })).toEqual({ outcome: 'no_budget' });
    expect(applyPercent(12345n, 20)).toBe(14814n);
    expect(applyPercent(12345n, -12.5)).toBe(10802n);
  });
  test('cooldown and count limit', () => {
    const action = { type: 'PAUSE' as const, actionFrequencyMinutes: 60, executionCountLimit: 2 };
    expect(cooldownOutcome(action, undefined, 0)).toBeNull();
    expect(cooldownOutcome(action, { lastActionAtMs: 0, actionCount: 1 }, 59 * 60_000)).toBe('cooldown');
    expect(cooldownOutcome(action, { lastActionAtMs: 0, actionCount: 1 }, 60 * 60_000)).toBeNull();
    expect(cooldownOutcome(action, { lastActionAtMs: 0, actionCount: 2 }, 10 * 86_400_000)).toBe('count_limit');
    expect(planAction(action, { ...snapshot, status: 'PAUSED' })).toEqual({ outcome: 'no_change' });
  });
});
