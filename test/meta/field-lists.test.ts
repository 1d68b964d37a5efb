import { syncEdgeFields } from '../../activities/entity-sync.activities';
import { AD_ACCOUNT_FIELDS, countRequestedFields, INSIGHTS_FIELDS, largestWorkingPageSize } from '../../src/meta';
import { countFields, parseFields } from '../../src/simulator/field-selection';

/** The simulator's count of a `fields` parameter (what its data budget charges). */
const simulatorCount = (fields: readonly string[]): number => Math.max(1, countFields(parseFields(fields.join(','))));

test('fields per request are counted the way the data budget counts them: expansions and their subfields included', () => {
  const lists = [...syncEdgeFields().map((e) => e.fields), AD_ACCOUNT_FIELDS, INSIGHTS_FIELDS];
  for (const fields of lists) expect(countRequestedFields(fields)).toBe(simulatorCount(fields));
  for (const fields of [['creative{id,name}'], ['insights.date_preset(last_7d){spend,actions{value}}', 'name'], ['adsets.limit(5){id}'], []]) {
    expect(countRequestedFields(fields)).toBe(simulatorCount(fields));
  }
  expect(countRequestedFields(['id', 'creative{id}'])).toBe(3);
});

test('the largest page that can work is min(maxLimit, floor(dataBudget / fields))', () => {
  const ads = syncEdgeFields().find((e) => e.entity === 'ads')!;
  expect(countRequestedFields(ads.fields)).toBe(15);
  expect(largestWorkingPageSize({ fields: ads.fields, maxLimit: 5000, dataBudget: 60_000 })).toBe(4000);
  expect(largestWorkingPageSize({ fields: ['id', 'name'], maxLimit: 5000, dataBudget: 60_000 })).toBe(5000);
});
