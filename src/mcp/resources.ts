import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { McpError, ErrorCode as McpErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { AppError, ErrorCode } from '../errors';
import type { Actor } from '../operations/actor';
import { dependencyErrorOf } from '../operations/dependency-errors';
import { getAdAccount, listAdAccounts, type AdAccountView } from '../operations/ad-accounts';
import { getCreative } from '../operations/creatives';
import { getAd, getAdSet, getCampaign, listCampaigns } from '../operations/entities';
import type { ServiceContext } from '../operations/service-context';
import { listSyncRuns } from '../operations/sync-runs';
import { getWorkflowStatus } from '../operations/workflows';

/** Listing is bounded: a company with more accounts pages through list_ad_accounts instead. */
const MAX_LISTED = 1000;

function json(uri: string, value: unknown): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] };
}

/** Resource reads fail as protocol errors; the message is the same one HTTP gives. */
async function read(uri: string, load: () => Promise<unknown>): Promise<ReadResourceResult> {
  try {
    return json(uri, await load());
  } catch (raw) {
    const error = dependencyErrorOf(raw) ?? raw;
    if (error instanceof AppError) {
      const code = error.code === ErrorCode.NotFound || error.code === ErrorCode.Validation ? McpErrorCode.InvalidParams : McpErrorCode.InternalError;
      throw new McpError(code, `${error.code}: ${error.message}`, { code: error.code });
    }
    throw new McpError(McpErrorCode.InternalError, `${ErrorCode.Internal}: Internal error: the failure was logged`);
  }
}

async function allAdAccounts(ctx: ServiceContext, actor: Actor): Promise<{ data: AdAccountView[]; truncated: boolean }> {
  const data: AdAccountView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAdAccounts(ctx, actor, { limit: 200, ...(cursor ? { cursor } : {}) });
    data.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && data.length < MAX_LISTED);
  return { data, truncated: Boolean(cursor) };
}

const single = (value: string | string[]): string => (Array.isArray(value) ? value[0] : value);

/**
 * meta://ad-accounts, meta://ad-accounts/{id}, meta://campaigns/{id}, meta://workflows/{workflowId},
 * and the synced objects: meta://ad-accounts/{id}/campaigns, meta://ad-accounts/{id}/sync-runs,
 * meta://ad-sets/{id}, meta://ads/{id}, meta://creatives/{id}.
 */
export function registerResources(server: McpServer, ctx: ServiceContext, actor: Actor): void {
  server.registerResource(
    'ad-accounts',
    'meta://ad-accounts',
    { title: 'Ad accounts', description: 'Every connected ad account of your company (first page; use list_ad_accounts to page)', mimeType: 'application/json' },
    async (uri) => read(uri.href, () => listAdAccounts(ctx, actor, { limit: 200 })),
  );
  server.registerResource(
    'ad-account',
    new ResourceTemplate('meta://ad-accounts/{id}', {
      list: async () => {
        const { data } = await allAdAccounts(ctx, actor);
        return { resources: data.map((account) => ({ uri: `meta://ad-accounts/${account.id}`, name: account.name ?? account.id, mimeType: 'application/json' })) };
      },
    }),
    { title: 'Ad account', description: 'One ad account', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getAdAccount(ctx, actor, { adAccountId: single(variables.id) })),
  );
  server.registerResource(
    'campaign',
    new ResourceTemplate('meta://campaigns/{id}', { list: undefined }),
    { title: 'Campaign', description: 'One campaign from the synced copy', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getCampaign(ctx, actor, { id: single(variables.id) })),
  );
  server.registerResource(
    'workflow',
    new ResourceTemplate('meta://workflows/{workflowId}', { list: undefined }),
    { title: 'Workflow', description: 'Status and progress of a workflow', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getWorkflowStatus(ctx, actor, { workflowId: decodeURIComponent(single(variables.workflowId)) })),
  );
  registerObjectResources(server, ctx, actor);
}

/** Templates of the synced objects: the same reads as the tools, first pages where a list. */
function registerObjectResources(server: McpServer, ctx: ServiceContext, actor: Actor): void {
  server.registerResource(
    'ad-account-campaigns',
    new ResourceTemplate('meta://ad-accounts/{id}/campaigns', { list: undefined }),
    { title: 'Campaigns of an ad account', description: 'The first 500 campaigns of an ad account by id (list_campaigns pages them all)', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => listCampaigns(ctx, actor, { adAccountId: single(variables.id), limit: 500 })),
  );
  server.registerResource(
    'ad-account-sync-runs',
    new ResourceTemplate('meta://ad-accounts/{id}/sync-runs', { list: undefined }),
    { title: 'Sync runs of an ad account', description: 'The latest 50 sync runs of an ad account: kind, status, counts, errors', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => listSyncRuns(ctx, actor, { adAccountId: single(variables.id), limit: 50 })),
  );
  server.registerResource(
    'ad-set',
    new ResourceTemplate('meta://ad-sets/{id}', { list: undefined }),
    { title: 'Ad set', description: 'One ad set from the synced copy', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getAdSet(ctx, actor, { id: single(variables.id) })),
  );
  server.registerResource(
    'ad',
    new ResourceTemplate('meta://ads/{id}', { list: undefined }),
    { title: 'Ad', description: 'One ad from the synced copy', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getAd(ctx, actor, { id: single(variables.id) })),
  );
  server.registerResource(
    'creative',
    new ResourceTemplate('meta://creatives/{id}', { list: undefined }),
    { title: 'Ad creative', description: 'One ad creative with the ads that use it', mimeType: 'application/json' },
    async (uri, variables) => read(uri.href, () => getCreative(ctx, actor, { id: single(variables.id) })),
  );
}
