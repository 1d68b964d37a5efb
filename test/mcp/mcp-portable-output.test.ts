import { z } from 'zod';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import { portableSchema, typeListPaths } from '../../src/mcp/portable-schema';
import { summarizeResult } from '../../src/mcp/result-summary';

/** The listing boundary's schema rewrite and the text summaries, on their own. */
describe('portableSchema', () => {
  const view = z.object({
    name: z.string().nullable().describe('Name, when Meta has one'),
    level: z.enum(['campaign', 'adset']).nullable(),
    budget: z.number().min(1).nullable().optional(),
    nested: z.array(z.object({ at: z.string().nullable() })),
  });
  const listed = portableSchema(toJsonSchemaCompat(view as never, { strictUnions: true, pipeStrategy: 'output' }));

  test('no type list anywhere; annotations stay beside anyOf, constraints go in the typed branch', () => {
    expect(typeListPaths(toJsonSchemaCompat(view as never, { strictUnions: true, pipeStrategy: 'output' }))).not.toEqual([]);
    expect(typeListPaths(listed)).toEqual([]);
    const properties = (listed as { properties: Record<string, unknown> }).properties;
    expect(properties.name).toEqual({ description: 'Name, when Meta has one', anyOf: [{ type: 'string' }, { type: 'null' }] });
    expect(properties.budget).toEqual({ anyOf: [{ type: 'number', minimum: 1 }, { type: 'null' }] });
  });

  test('validates what the zod schema accepts and refuses what it refuses', () => {
    const validate = new AjvJsonSchemaValidator().getValidator(listed as never);
    const samples: unknown[] = [
      { name: null, level: null, nested: [{ at: null }] },
      { name: 'A', level: 'adset', budget: 3, nested: [] },
      { name: 1, level: null, nested: [] },
      { name: 'A', level: 'ad', nested: [] },
      { name: 'A', level: null, budget: 0, nested: [] },
      { name: 'A', level: null, nested: [{ at: 5 }] },
    ];
    for (const sample of samples) expect({ sample, valid: validate(sample).valid }).toEqual({ sample, valid: view.safeParse(sample).success });
  });
});

describe('summarizeResult', () => {
  test('a page: count, examples, and the cursor to pass back', () => {
    const text = summarizeResult('list_ad_sets', { data: [{ id: '1', name: 'Broad' }, { id: '2', name: 'Lookalike' }, { id: '3' }, { id: '4' }], nextCursor: 'abc' });
    expect(text).toBe('4 ad sets (Broad 1, Lookalike 2, 3, …); more remain: call again with cursor "abc". The full result is in structuredContent.');
    expect(summarizeResult('list_campaigns', { data: [], nextCursor: null })).toBe('0 campaigns; no more pages. The full result is in structuredContent.');
  });

  test("a workflow's status line with its work figure and failure", () => {
    const text = summarizeResult('get_workflow_status', {
      workflowId: 'meta-metrics-sync:act_1:daily', workflowType: 'metricsSyncWorkflow', kind: 'metrics-sync', status: 'FAILED',
      progress: { phase: 'failed', entities: {}, work: { done: 12.5, total: 30, unit: 'days' } }, failure: { code: 'META_AUTH', message: 'needs re-authorisation' },
    });
    expect(text).toBe('Workflow meta-metrics-sync:act_1:daily (metrics-sync) is FAILED: failed, 12.5 of 30 days; failure META_AUTH: needs re-authorisation. The full result is in structuredContent.');
  });

  test('a report: rows, objects, period and the first totals', () => {
    const text = summarizeResult('get_performance_report', {
      adAccountId: 'act_1', period: { from: '2026-11-24', to: '2026-11-30' }, data: [{ id: '1' }, { id: '2' }],
      totals: { objects: 48, currency: 'EUR', metrics: { spend: '1234.50', impressions: 90210, cpc: null } },
    });
    expect(text).toBe('Performance report: 2 rows of 48 objects, 2026-11-24 → 2026-11-30; totals spend 1234.50 EUR, impressions 90210. The full result is in structuredContent.');
  });

  test('a preview: the fields needed to confirm come first', () => {
    const text = summarizeResult('bulk_update_budgets', {
      adAccountId: 'act_1', kind: 'update', currency: 'EUR', changeSetId: 'cs1', status: 'previewed', planHash: 'h1', requiresConfirmation: true, violationCount: 0, items: [],
    });
    expect(text.startsWith('changeSetId=cs1, status=previewed, planHash=h1, requiresConfirmation=true, violationCount=0')).toBe(true);
  });
});
