import path from 'node:path';
import { z } from 'zod';
import { createHmac } from 'node:crypto';
import { DEMO_META_APP } from '../domain/demo-meta-app';
import { ConfigurationError } from './errors';

/**
 * The one configuration object. Nothing else reads `process.env`: entrypoints call
 * `loadConfig()` once and pass the frozen result (or the parts a module needs) down.
 * Workflows never see it; values a workflow needs travel as workflow arguments.
 */

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const hourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour clock)');
const duration = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30s, 15m, 1h or 1d');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),

  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection URL').optional(),
  EMBEDDED_POSTGRES_PORT: port.default(5433),

  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port, e.g. localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('meta-ads'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: z.string().url().optional(),

  META_MODE: z.enum(['demo', 'live']).optional(),
  META_GRAPH_URL: z.string().url().optional(),
  META_API_VERSION: z.string().regex(/^v\d{2}\.0$/, 'expected a Graph API version such as v24.0').default('v24.0'),
  META_APP_ID: z.string().regex(/^\d+$/, 'expected the numeric Meta app id').optional(),
  META_APP_SECRET: z.string().min(8, 'expected the Meta app secret').optional(),
  META_OAUTH_REDIRECT_URI: z.string().url('expected the absolute callback URL registered in the Meta app, e.g. https://ads.example.com/v1/meta/oauth/callback').optional(),
  META_OAUTH_DIALOG_URL: z.string().url().optional(),
  OAUTH_STATE_SECRET: z.string().min(32, 'expected at least 32 random characters').optional(),
  OAUTH_STATE_TTL: duration.default('10m'),
  OAUTH_GRANT_TTL: duration.default('1h'),
  META_WEBHOOK_VERIFY_TOKEN: z.string().min(8, 'expected the verify token entered in the Meta app\'s webhook subscription (at least 8 characters)').optional(),
  TOKEN_CHECK_AT: hourMinute.default('05:00'),
  META_USAGE_THROTTLE_PCT: z.coerce.number().min(1).max(100).default(90),
  SIMULATOR_PORT: port.default(4100),

  TOKEN_ENCRYPTION_KEY: z
    .string()
    .regex(/^([A-Za-z0-9_-]{1,32}:)?[A-Za-z0-9+/=_-]{43,44}$/, 'expected 32 random bytes in base64, optionally prefixed "keyId:"')
    .optional(),

  // How long a request waits on a dependency before answering 503 (see Config.timeouts).
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
  DATABASE_ACTIVITY_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(1_800_000),
  TEMPORAL_CALL_TIMEOUT_MS: positiveInt.default(5_000),
  TEMPORAL_UPDATE_TIMEOUT_MS: positiveInt.default(20_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),

  SYNC_MAX_PARALLEL_ACCOUNTS: positiveInt.default(4),
  SYNC_INCREMENTAL_EVERY: duration.default('15m'),
  SYNC_HOURLY_METRICS_EVERY: duration.default('1h'),
  SYNC_DAILY_METRICS_AT: hourMinute.default('04:00'),
  METRICS_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(90).default(28),
  METRICS_ATTRIBUTION_WINDOWS: z
    .string()
    .regex(/^[a-z0-9_]+(,[a-z0-9_]+)*$/, 'expected a comma-separated list such as 7d_click,1d_view')
    .default('7d_click,1d_view'),

  ROLLUP_DAILY_MINUTE: z.coerce.number().int().min(0).max(59).default(5),
  ROLLUP_MONTHLY_AT: hourMinute.default('02:00'),
  RETENTION_AT: hourMinute.default('03:00'),
  HOURLY_RETENTION_DAYS: positiveInt.default(7),
  SCHEDULES_ENABLED: booleanFromEnv.default(true),

  RULES_MAX_METRICS_AGE_MINUTES: positiveInt.default(90),
  RULES_BACKTEST_INLINE_TICKS: positiveInt.default(200),
  RULES_WEBHOOK_TIMEOUT_MS: positiveInt.default(10_000),
  CHANGE_SET_PREVIEW_TTL: duration.default('1h'),
  CHANGE_SET_OBJECT_LIMIT_WAIT: duration.default('1h'),
  CHANGE_SET_MAX_ITEMS: positiveInt.max(100_000).default(10_000),
  CHANGE_SET_CHUNKS_PER_ACTIVITY: positiveInt.max(100).default(8),
  REPORTS_MAX_CONCURRENT: positiveInt.max(100).default(4),

  API_RATE_LIMIT_PER_MINUTE: positiveInt.default(600),
  API_AUTH_FAILURES_PER_MINUTE: positiveInt.default(30),
  API_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),

  META_ORCHESTRATOR_TOKEN: z.string().regex(/^mao_[A-Za-z0-9_-]{43}$/, 'expected an API token (mao_...)').optional(),
});

export type RawEnv = Record<string, string | undefined>;

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly logLevel: string;
  readonly dataDir: string;
  readonly version: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly rateLimitPerMinute: number;
    /** Failed authentications (a token presented, refused) per client address per minute before it is answered 429. */
    readonly authFailuresPerMinute: number;
    readonly bodyLimitBytes: number;
  };
  readonly database: { readonly url?: string; readonly mode: 'embedded' | 'external'; readonly embeddedPort: number };
  readonly temporal: {
    readonly address?: string;
    readonly mode: 'embedded' | 'external';
    readonly namespace: string;
    readonly taskQueue: string;
    readonly cliPath?: string;
    readonly devPort: number;
    readonly uiPort: number;
    readonly uiUrl?: string;
  };
  readonly meta: {
    readonly mode: 'demo' | 'live';
    readonly graphUrl: string;
    readonly apiVersion: string;
    readonly appId?: string;
    readonly appSecret?: string;
    readonly usageThrottlePct: number;
    readonly simulatorPort: number;
  };
  /**
   * Facebook Login (the OAuth connect flow). In demo mode the app id, secret, dialog and redirect
   * URI default to the simulator's demo app and this service's own callback.
   */
  readonly oauth: {
    /** Meta app id (`META_APP_ID`); unset in live mode without one: the routes then say it is not configured. */
    readonly appId?: string;
    readonly appSecret?: string;
    /** The callback URL registered in the Meta app (`META_OAUTH_REDIRECT_URI`). */
    readonly redirectUri?: string;
    /** Meta's consent dialog. @default https://www.facebook.com/<version>/dialog/oauth (demo: the simulator's) */
    readonly dialogUrl: string;
    /** HMAC key of `state` (`OAUTH_STATE_SECRET`). @default derived from the app secret */
    readonly stateSecret?: string;
    /** How long a started login may come back (`OAUTH_STATE_TTL`). @default 10 minutes */
    readonly stateTtlMs: number;
    /** How long a callback's grant waits for the admin to pick its accounts (`OAUTH_GRANT_TTL`). @default 1 hour */
    readonly grantTtlMs: number;
    /** When the daily token check runs, UTC HH:MM (`TOKEN_CHECK_AT`). @default 05:00 */
    readonly tokenCheckAt: string;
  };
  /**
   * Meta's Webhooks (`/webhooks/meta`). Notifications are signed with the app secret
   * (`oauth.appSecret`); in demo mode both default to the simulator's demo app.
   */
  readonly webhooks: {
    /** What Meta echoes in the subscription handshake (`META_WEBHOOK_VERIFY_TOKEN`); unset: the handshake is refused. */
    readonly verifyToken?: string;
  };
  readonly tokenEncryptionKey?: string;
  /**
   * Bounds on waiting for a dependency: past them a request answers 503 with a code naming the
   * dependency instead of hanging. 0 means none (statement timeouts only).
   */
  readonly timeouts: {
    /** New database connection (TCP and PostgreSQL's start-up answer). @default 5000 */
    readonly databaseConnectMs: number;
    /** Statements of the API and MCP fronts (server `statement_timeout`, plus a client read timeout). @default 15000 */
    readonly databaseStatementMs: number;
    /** Statements of activities (COPY of metric pages, set-based rollups): long by nature. @default 1800000 (the longest activity) */
    readonly activityStatementMs: number;
    /** Every Temporal call of the fronts (gRPC deadline). @default 5000 */
    readonly temporalCallMs: number;
    /** A start that a running workflow must answer (Update-With-Start): it needs a worker. @default 20000 */
    readonly temporalUpdateMs: number;
    /** Receiving a request and answering it (a backstop behind the ones above). @default 30000 */
    readonly httpRequestMs: number;
  };
  readonly sync: {
    readonly maxParallelAccounts: number;
    readonly incrementalEvery: string;
    readonly hourlyMetricsEvery: string;
    readonly dailyMetricsAt: string;
    readonly lookbackDays: number;
    readonly attributionWindows: readonly string[];
  };
  readonly rollup: {
    readonly dailyMinute: number;
    readonly monthlyAt: string;
    readonly retentionAt: string;
    readonly hourlyRetentionDays: number;
  };
  readonly rules: {
    /** Oldest hourly metrics (minutes) a rule whose window includes today may act on; older → stale_metrics. */
    readonly maxMetricsAgeMinutes: number;
    /** Backtests with at most this many ticks answer inline; longer ones run as a workflow. */
    readonly backtestInlineTicks: number;
    /** One webhook POST's timeout. */
    readonly webhookTimeoutMs: number;
  };
  readonly changeSets: {
    /** How long a previewed change set may be confirmed (`CHANGE_SET_PREVIEW_TTL`, default 1h). */
    readonly previewTtlMs: number;
    /** Wait after Meta's per-object change limit (`CHANGE_SET_OBJECT_LIMIT_WAIT`, default 1h, as Meta says). */
    readonly objectLimitWaitMs: number;
    /** Most items one change set may hold (`CHANGE_SET_MAX_ITEMS`, default 10000). */
    readonly maxItems: number;
    /** Chunks (≤ 50 items each) one apply activity sends before it reports back (`CHANGE_SET_CHUNKS_PER_ACTIVITY`, default 8). */
    readonly chunksPerActivity: number;
  };
  readonly reports: {
    /** Report statements one process runs at once (`REPORTS_MAX_CONCURRENT`, default 4); more wait their turn, so they never take every pooled connection. */
    readonly maxConcurrent: number;
  };
  readonly schedulesEnabled: boolean;
  /** API token the stdio MCP server acts with (`META_ORCHESTRATOR_TOKEN`). */
  readonly mcpToken?: string;
}

/** Parses and freezes the configuration; an invalid value stops start-up naming the variable. */
export function loadConfig(env: RawEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const metaMode = e.META_MODE ?? (e.META_APP_ID && e.META_APP_SECRET ? 'live' : 'demo');
  if (metaMode === 'live' && !e.TOKEN_ENCRYPTION_KEY) {
    throw new ConfigurationError('Invalid configuration:\n  TOKEN_ENCRYPTION_KEY: required in live mode (32 random bytes, base64)');
  }
  const graphUrl = e.META_GRAPH_URL ?? (metaMode === 'live' ? 'https://graph.facebook.com' : `http://127.0.0.1:${e.SIMULATOR_PORT}`);
  const config: Config = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.DATA_DIR),
    version: packageVersion(),
    http: {
      host: e.HOST,
      port: e.PORT,
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: e.API_AUTH_FAILURES_PER_MINUTE,
      bodyLimitBytes: e.API_BODY_LIMIT_BYTES,
    },
    database: { url: e.DATABASE_URL, mode: e.DATABASE_URL ? 'external' : 'embedded', embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      mode: e.TEMPORAL_ADDRESS ? 'external' : 'embedded',
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL,
    },
    meta: {
      mode: metaMode,
      graphUrl: graphUrl.replace(/\/+$/, ''),
      apiVersion: e.META_API_VERSION,
      appId: e.META_APP_ID,
      appSecret: e.META_APP_SECRET,
      usageThrottlePct: e.META_USAGE_THROTTLE_PCT,
      simulatorPort: e.SIMULATOR_PORT,
    },
    oauth: oauthConfig(e, metaMode, graphUrl.replace(/\/+$/, '')),
    webhooks: { verifyToken: e.META_WEBHOOK_VERIFY_TOKEN ?? (metaMode === 'demo' ? DEMO_META_APP.webhookVerifyToken : undefined) },
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    timeouts: {
      databaseConnectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      databaseStatementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      activityStatementMs: e.DATABASE_ACTIVITY_STATEMENT_TIMEOUT_MS,
      temporalCallMs: e.TEMPORAL_CALL_TIMEOUT_MS,
      temporalUpdateMs: e.TEMPORAL_UPDATE_TIMEOUT_MS,
      httpRequestMs: e.HTTP_REQUEST_TIMEOUT_MS,
    },
    sync: {
      maxParallelAccounts: e.SYNC_MAX_PARALLEL_ACCOUNTS,
      incrementalEvery: e.SYNC_INCREMENTAL_EVERY,
      hourlyMetricsEvery: e.SYNC_HOURLY_METRICS_EVERY,
      dailyMetricsAt: e.SYNC_DAILY_METRICS_AT,
      lookbackDays: e.METRICS_LOOKBACK_DAYS,
      attributionWindows: e.METRICS_ATTRIBUTION_WINDOWS.split(','),
    },
    rollup: {
      dailyMinute: e.ROLLUP_DAILY_MINUTE,
      monthlyAt: e.ROLLUP_MONTHLY_AT,
      retentionAt: e.RETENTION_AT,
      hourlyRetentionDays: e.HOURLY_RETENTION_DAYS,
    },
    rules: {
      maxMetricsAgeMinutes: e.RULES_MAX_METRICS_AGE_MINUTES,
      backtestInlineTicks: e.RULES_BACKTEST_INLINE_TICKS,
      webhookTimeoutMs: e.RULES_WEBHOOK_TIMEOUT_MS,
    },
    changeSets: {
      previewTtlMs: durationMs(e.CHANGE_SET_PREVIEW_TTL),
      objectLimitWaitMs: durationMs(e.CHANGE_SET_OBJECT_LIMIT_WAIT),
      maxItems: e.CHANGE_SET_MAX_ITEMS,
      chunksPerActivity: e.CHANGE_SET_CHUNKS_PER_ACTIVITY,
    },
    reports: {
      maxConcurrent: e.REPORTS_MAX_CONCURRENT,
    },
    schedulesEnabled: e.SCHEDULES_ENABLED,
    mcpToken: e.META_ORCHESTRATOR_TOKEN,
  };
  return deepFreeze(config);
}

/** Facebook Login settings: explicit values first, then the demo app's (demo mode only). */
function oauthConfig(e: z.infer<typeof envSchema>, metaMode: 'demo' | 'live', graphUrl: string): Config['oauth'] {
  const demo = metaMode === 'demo';
  const appId = e.META_APP_ID ?? (demo ? DEMO_META_APP.appId : undefined);
  const appSecret = e.META_APP_SECRET ?? (demo ? DEMO_META_APP.appSecret : undefined);
  const callbackHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return {
    appId,
    appSecret,
    redirectUri: e.META_OAUTH_REDIRECT_URI ?? (demo ? `http://${callbackHost.includes(':') ? `[${callbackHost}]` : callbackHost}:${e.PORT}/v1/meta/oauth/callback` : undefined),
    dialogUrl: e.META_OAUTH_DIALOG_URL ?? (demo ? `${graphUrl}/${e.META_API_VERSION}/dialog/oauth` : `https://www.facebook.com/${e.META_API_VERSION}/dialog/oauth`),
    // A key of its own, derived so one more secret need not be configured; never the app secret itself.
    stateSecret: e.OAUTH_STATE_SECRET ?? (appSecret ? createHmac('sha256', appSecret).update('meta-orchestrator oauth state v1').digest('base64url') : undefined),
    stateTtlMs: durationMs(e.OAUTH_STATE_TTL),
    grantTtlMs: durationMs(e.OAUTH_GRANT_TTL),
    tokenCheckAt: e.TOKEN_CHECK_AT,
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s", "15m", "1h" → milliseconds (the value already matched `duration`). */
export function durationMs(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new ConfigurationError(`"${text}" is not a duration such as 30s, 15m or 1h`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Empty strings in the environment mean "unset", as shells and .env files intend. */
function stripEmpty(env: RawEnv): RawEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
}

function packageVersion(): string {
  // require keeps package.json out of the TypeScript rootDir question and is cached by Node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../package.json') as { version: string }).version;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
