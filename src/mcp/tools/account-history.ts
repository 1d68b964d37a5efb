import { listChangeHistory } from '../../operations/change-history';
import { listMetaRules } from '../../operations/meta-rules';
import { getRateLimitState } from '../../operations/rate-limits';
import { adAccountRefInput, changeHistoryView, listChangeHistoryInput, listMetaRulesInput, listSyncRunsInput, rateLimitStateView, syncRunView } from '../../operations/schemas/account-history';
import { pageOf } from '../../operations/schemas/common';
import { ruleListView } from '../../operations/schemas/rules';
import { listSyncRuns } from '../../operations/sync-runs';
import { pageNote, readOnly, type ToolArea } from './tool-spec';

/** What happened to an account: change history, sync runs, rate-limit state and Meta's own rules. */
export const accountHistoryTools: ToolArea = (ctx, actor) => [
  {
    name: 'list_change_history',
    title: 'List the change history',
    description:
      `Changed fields of campaigns, ad sets and ads, newest first: seen on Meta by a sync (source sync) or made through this service (api, mcp, rule, bulk, with the token id as actor). ` +
      `Filter by ad account, object (entityId), source, actor, field and time. ${pageNote}`,
    input: listChangeHistoryInput,
    output: pageOf(changeHistoryView),
    annotations: readOnly,
    run: (args) => listChangeHistory(ctx, actor, args),
  },
  {
    name: 'list_sync_runs',
    title: 'List sync runs',
    description: `Sync runs of an ad account, newest first: kind (full, incremental, metrics), status, rows counted per entity, and the error of a failed run. ${pageNote}`,
    input: listSyncRunsInput,
    output: pageOf(syncRunView),
    annotations: readOnly,
    run: (args) => listSyncRuns(ctx, actor, args),
  },
  {
    name: 'get_rate_limit_state',
    title: 'Get the rate-limit state',
    description: "How close an ad account is to Meta's limits: the latest value of each usage header, the highest usage percentage, and until when Meta throttles it.",
    input: adAccountRefInput,
    output: rateLimitStateView,
    annotations: readOnly,
    run: (args) => getRateLimitState(ctx, actor, args),
  },
  {
    name: 'list_meta_rules',
    title: "List Meta's own rules",
    description: `Automated rules of an ad account that run on Meta (its adrules_library, as the full sync read them), in Meta's shapes; the service's own rules are list_rules. ${pageNote}`,
    input: listMetaRulesInput,
    output: ruleListView,
    annotations: readOnly,
    run: (args) => listMetaRules(ctx, actor, args),
  },
];
