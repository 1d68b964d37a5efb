/**
 * Graph API error envelopes, with the exact codes, subcodes, messages and HTTP statuses
 * clients classify on (see META-API.md §5). Handlers throw {@link GraphError}; the dispatcher
 * turns it into `{"error":{...}}`.
 */

/** Fields of Meta's error object. */
export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  error_data?: unknown;
  fbtrace_id: string;
}

/** A Graph error with its HTTP status. */
export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Omit<GraphErrorBody, 'fbtrace_id'>,
  ) {
    super(body.message);
    this.name = 'GraphError';
  }
}

let traceCounter = 0;
/** A fbtrace_id-looking string (unique per response, not random: tests stay reproducible). */
export function fbtraceId(): string {
  traceCounter = (traceCounter + 1) % 1_000_000_000;
  return `ASim${traceCounter.toString(36).padStart(7, '0')}Trace`;
}

/** `{"error":{...}}` for a GraphError. */
export function errorEnvelope(err: GraphError): { error: GraphErrorBody } {
  return { error: { ...err.body, fbtrace_id: fbtraceId() } };
}

/** Code 100 invalid parameter (HTTP 400). */
export function invalidParameter(message: string, extra: Partial<GraphErrorBody> = {}): GraphError {
  return new GraphError(400, { message, type: 'OAuthException', code: 100, ...extra });
}

/**
 * Code 100 validation error with Meta's user title/message and blamed field. The subcode
 * defaults to 1487390, the simulator's catch-all where Meta's own subcode is not known.
 */
export function validationError(field: string, title: string, userMsg: string, subcode = 1487390): GraphError {
  return new GraphError(400, {
    message: 'Invalid parameter',
    type: 'OAuthException',
    code: 100,
    error_subcode: subcode,
    is_transient: false,
    error_user_title: title,
    error_user_msg: userMsg,
    error_data: { blame_field_specs: [[field]] },
  });
}

/** Unknown object id (100/33, GraphMethodException). */
export function unknownObject(id: string, method = 'get'): GraphError {
  return new GraphError(400, {
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException',
    code: 100,
    error_subcode: 33,
  });
}

/** Unknown field on a node type. */
export function nonexistingField(field: string, nodeType: string): GraphError {
  return invalidParameter(`(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`);
}

/** 190/467: unknown token. */
export function invalidToken(): GraphError {
  return new GraphError(400, { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, error_subcode: 467 });
}

/** 190/463: expired token. */
export function expiredToken(expiredAtMs: number, nowMs: number): GraphError {
  return new GraphError(400, {
    message: `Error validating access token: Session has expired on ${metaDate(expiredAtMs)}. The current time is ${metaDate(nowMs)}.`,
    type: 'OAuthException',
    code: 190,
    error_subcode: 463,
  });
}

/** Meta's "Monday, 24-Oct-16 21:00:00 PDT" style date (we print UTC). */
function metaDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** 2635: deprecated or missing version. */
export function deprecatedVersion(latest: number): GraphError {
  return new GraphError(400, {
    message: `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v${latest}.0.`,
    type: 'OAuthException',
    code: 2635,
  });
}

/**
 * 2500: a version Meta does not know (newer than the latest, or a made-up minor). Meta reads
 * the segment as a path and answers "Unknown path components" with the path after it.
 */
export function unknownVersion(path: string): GraphError {
  return new GraphError(400, { message: `Unknown path components: /${path}`, type: 'OAuthException', code: 2500 });
}

/** Code 1 / subcode 99 (HTTP 500): too much data for one page. */
export function dataTooLarge(): GraphError {
  return new GraphError(500, {
    message: "Please reduce the amount of data you're asking for, then retry your request",
    type: 'OAuthException',
    code: 1,
    error_subcode: 99,
    error_user_msg: "Please reduce the amount of data you're asking for, then retry your request",
  });
}

/** Code 2 transient (HTTP 500). */
export function transientError(): GraphError {
  return new GraphError(500, {
    message: 'An unexpected error has occurred. Please retry your request later.',
    type: 'OAuthException',
    code: 2,
    is_transient: true,
  });
}

/** Code 1 unknown error (HTTP 500). */
export function unknownError(): GraphError {
  return new GraphError(500, { message: 'An unknown error occurred', type: 'OAuthException', code: 1 });
}

/** Throttle envelopes by kind. */
export type ThrottleKind = 'account_score_read' | 'account_score_write' | 'ads_management' | 'ads_insights' | 'app';

/** The exact throttle envelope for a kind (HTTP 400; 4 is app-level). */
export function throttleError(kind: ThrottleKind): GraphError {
  switch (kind) {
    case 'account_score_read':
      return new GraphError(400, { message: 'User request limit reached', type: 'OAuthException', code: 17, error_subcode: 2446079, is_transient: true });
    case 'account_score_write':
      return new GraphError(400, { message: 'There have been too many calls from this ad-account. Please wait a bit and try again.', type: 'OAuthException', code: 613, error_subcode: 1487742, is_transient: true });
    case 'ads_management':
      return new GraphError(400, {
        message: '(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.',
        type: 'OAuthException', code: 80004, error_subcode: 2446079,
      });
    case 'ads_insights':
      return new GraphError(400, {
        message: '(#80000) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-insights.',
        type: 'OAuthException', code: 80000, error_subcode: 2446079,
      });
    case 'app':
      return new GraphError(400, { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, is_transient: true });
  }
}

/** 613/1487632: ad set budget changed too often. */
export function budgetChangeLimit(perHour = 4): GraphError {
  return new GraphError(400, {
    message: '(#613) Calls to this api have exceeded the rate limit.',
    type: 'OAuthException',
    code: 613,
    error_subcode: 1487632,
    error_user_title: 'Budget change limit reached',
    error_user_msg: `You can only change your ad set budget ${perHour} times per hour. Please wait before changing it again.`,
  });
}

/** 100/1885272: a budget under the currency's floor; the message names the floor. */
export function budgetTooLow(field: string, what: string, floor: string): GraphError {
  const kind = field === 'lifetime_budget' ? 'lifetime' : 'daily';
  return validationError(field, 'Your Budget Is Too Low', `Your budget is too low. The ${kind} budget for this ${what} must be at least ${floor}.`, 1885272);
}

/** 100/1885261: a lifetime budget over Meta's ceiling. */
export function budgetTooHigh(field: string, ceiling: string): GraphError {
  return validationError(field, 'Your Budget Is Too High', `Your budget is too high. The lifetime budget can't be more than ${ceiling}.`, 1885261);
}

/** 100/1885621: an ad set budget under a campaign that has its own budget (campaign budget). */
export function budgetConflict(field: string, campaignId: string): GraphError {
  return validationError(
    field,
    'Budget Conflict: Campaign Already Has a Budget',
    `The campaign ${campaignId} uses a campaign budget, so its ad sets can't have their own budget. Remove the ad set budget, or change the campaign's budget first.`,
    1885621,
  );
}

/** 100/1815857: a bid strategy that needs a bid amount, without one. */
export function bidAmountRequired(bidStrategy: string): GraphError {
  return validationError('bid_amount', 'Bid Amount Required', `The bid strategy ${bidStrategy} needs a bid amount. Add bid_amount or choose another bid strategy.`, 1815857);
}

/** 17/1885172: the spending limit changed too often today. */
export function spendCapChangeLimit(perDay: number): GraphError {
  return new GraphError(400, {
    message: '(#17) User request limit reached',
    type: 'OAuthException',
    code: 17,
    error_subcode: 1885172,
    error_user_title: 'Spending limit changed too often',
    error_user_msg: `You can only change your account spending limit ${perDay} times per day. Please try again tomorrow.`,
  });
}

/** A batch that writes two ad sets of one campaign: the later item fails, as Meta's batch rules say. */
export function batchSameCampaign(campaignId: string): GraphError {
  return invalidParameter(`(#100) Batch requests cannot include multiple Adsets under the same Campaign (campaign ${campaignId}).`);
}
