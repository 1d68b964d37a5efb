import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes (Keyword); ids and kinds only: search attributes are never encrypted. */
export const SearchAttributes = {
  CompanyId: defineSearchAttributeKey('CompanyId', SearchAttributeType.KEYWORD),
  AdAccountId: defineSearchAttributeKey('AdAccountId', SearchAttributeType.KEYWORD),
  WorkflowKind: defineSearchAttributeKey('WorkflowKind', SearchAttributeType.KEYWORD),
} as const;

/** Names the Temporal server must know (registered by the dev server and at client start-up). */
export const SEARCH_ATTRIBUTE_NAMES = ['CompanyId', 'AdAccountId', 'WorkflowKind'] as const;
