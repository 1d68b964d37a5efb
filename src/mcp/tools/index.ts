import type { Actor } from '../../operations/actor';
import type { ServiceContext } from '../../operations/service-context';
import { accountHistoryTools } from './account-history';
import { adAccountTools } from './ad-accounts';
import { assetTools } from './assets';
import { catalogTools } from './catalogs';
import { changeSetTools } from './change-sets';
import { entityTools } from './entities';
import { leadTools } from './leads';
import { metricTools } from './metrics';
import { objectTools } from './objects';
import { reportTools } from './reports';
import { rollupTools } from './rollups';
import { ruleTools } from './rules';
import { scheduleTools } from './schedules';
import { syncTools } from './syncs';
import type { ToolArea, ToolSpec } from './tool-spec';
import { workflowTools } from './workflows';

export type { ToolExtra, ToolSpec } from './tool-spec';

/** Every tool area, in listing order: a new area is a new file here and one line below. */
const TOOL_AREAS: readonly ToolArea[] = [
  adAccountTools, entityTools, metricTools, reportTools, syncTools, rollupTools, workflowTools, scheduleTools, changeSetTools, objectTools, ruleTools,
  assetTools, leadTools, catalogTools, accountHistoryTools,
];

/** Every tool, bound to the caller: the same operations the HTTP API calls, with the same schemas. */
export function toolSpecs(ctx: ServiceContext, actor: Actor): ToolSpec[] {
  return TOOL_AREAS.flatMap((area) => area(ctx, actor));
}
