import util from 'node:util';
import {
  MetaAuthError,
  MetaDataTooLargeError,
  MetaInvalidRequestError,
  MetaObjectChangeLimitError,
  MetaPermissionError,
  MetaThrottleError,
  MetaTransientError,
} from '../../src/errors';
import { classifyMetaError, DEFAULT_THROTTLE_BACKOFF_MS } from '../../src/meta/error-classification';
import { redactSecrets } from '../../src/meta/redaction';
import { parseUsageHeaders } from '../../src/meta/usage-headers';

const TOKEN = 'fake-meta-token-classification-0123456789';

function envelope(error: Record<string, unknown>) {
  return { error: { type: 'OAuthException', fbtrace_id: 'Atrace', ...error } };
}

describe('classifyMetaError', () => {
  it('190 → MetaAuthError naming the ad account and re-authorisation', () => {
    const error = classifyMetaError({
      httpStatus: 400,
      body: envelope({ code: 190, error_subcode: 463, message: 'Error validating access token: Session has expired' }),
      adAccountId: 'act_42',
    });
    expect(error).toBeInstanceOf(MetaAuthError);
    expect(error.message).toMatch(/act_42 needs re-authorisation/);
    expect(error.meta).toMatchObject({ httpStatus: 400, metaCode: 190, metaSubcode: 463, adAccountId: 'act_42', fbtraceId: 'Atrace' });
    expect(error.retryable).toBe(false);
  });

  it.each([10, 200, 270, 299])('%i → MetaPermissionError', (code) => {
    const error = classifyMetaError({ httpStatus: 403, body: envelope({ code, message: '(#200) Requires ads_management permission' }) });
    expect(error).toBeInstanceOf(MetaPermissionError);
  });

  it.each([
    [4, undefined],
    [17, 2446079],
    [32, undefined],
    [613, 1487742],
    [80000, 2446079],
    [80004, 2446079],
    [80014, undefined],
  ])('code %i/%s → MetaThrottleError', (code, subcode) => {
    const error = classifyMetaError({ httpStatus: 400, body: envelope({ code, error_subcode: subcode, message: 'too many calls' }) });
    expect(error).toBeInstanceOf(MetaThrottleError);
    expect((error as MetaThrottleError).retryAfterMs).toBe(DEFAULT_THROTTLE_BACKOFF_MS);
    expect(error.retryable).toBe(true);
  });

  it.each([
    [613, 1487632, 'You can only change your ad set budget 4 times per hour.'],
    [17, 1885172, 'You can only change your account spending limit 10 times per day.'],
  ])('%i/%i (one object changed too often) → MetaObjectChangeLimitError, not a throttle of the account', (code, subcode, userMsg) => {
    const error = classifyMetaError({ httpStatus: 400, body: envelope({ code, error_subcode: subcode, message: 'limit', error_user_msg: userMsg }), adAccountId: 'act_42' });
    expect(error).toBeInstanceOf(MetaObjectChangeLimitError);
    expect(error).not.toBeInstanceOf(MetaThrottleError);
    expect((error as MetaObjectChangeLimitError).retryAfterMs).toBe(60 * 60_000);
    expect(error.message).toContain(userMsg);
    expect(error.meta).toMatchObject({ metaCode: code, metaSubcode: subcode });
  });

  it('takes retryAfterMs from the longest BUC estimated_time_to_regain_access (minutes)', () => {
    const usage = parseUsageHeaders({
      'x-business-use-case-usage': JSON.stringify({
        '1': [{ type: 'ads_management', call_count: 100, estimated_time_to_regain_access: 5 }],
        '2': [{ type: 'ads_insights', call_count: 100, estimated_time_to_regain_access: 12 }],
      }),
    });
    const error = classifyMetaError({ httpStatus: 400, body: envelope({ code: 80004, error_subcode: 2446079, message: '(#80004) too many calls' }), usage });
    expect(error).toBeInstanceOf(MetaThrottleError);
    expect((error as MetaThrottleError).retryAfterMs).toBe(12 * 60_000);
    expect(error.message).toMatch(/retry in 720 s/);
  });

  it('falls back to the account score reset time when blocked without a BUC estimate', () => {
    const usage = parseUsageHeaders({ 'x-ad-account-usage': '{"acc_id_util_pct":100,"reset_time_duration":300}' });
    const error = classifyMetaError({ httpStatus: 400, body: envelope({ code: 17, message: 'User request limit reached' }), usage });
    expect((error as MetaThrottleError).retryAfterMs).toBe(300_000);
  });

  it('1/99 and "reduce the amount of data" → MetaDataTooLargeError', () => {
    expect(classifyMetaError({ httpStatus: 500, body: envelope({ code: 1, error_subcode: 99, message: 'An unknown error occurred' }) })).toBeInstanceOf(MetaDataTooLargeError);
    expect(
      classifyMetaError({
        httpStatus: 500,
        body: envelope({ code: 1, message: 'An unknown error occurred', error_user_msg: "Please reduce the amount of data you're asking for, then retry your request" }),
      }),
    ).toBeInstanceOf(MetaDataTooLargeError);
    expect(classifyMetaError({ httpStatus: 500, body: envelope({ message: "Please reduce the amount of data you're asking for, then retry your request" }) })).toBeInstanceOf(MetaDataTooLargeError);
  });

  it.each([
    ['code 2', 500, { code: 2, message: 'An unexpected error has occurred. Please retry your request later.', is_transient: true }],
    ['is_transient', 400, { code: 9999, message: 'x', is_transient: true }],
    ['HTTP 5xx', 503, { code: 12345, message: 'Service unavailable' }],
    ['code 1 unknown error', 500, { code: 1, message: 'An unknown error occurred' }],
    ['960 batch timeout', 400, { code: 960, message: 'Request aborted' }],
  ])('%s → MetaTransientError', (_name, httpStatus, error) => {
    expect(classifyMetaError({ httpStatus, body: envelope(error) })).toBeInstanceOf(MetaTransientError);
  });

  it('non-JSON 5xx bodies and network failures → MetaTransientError', () => {
    expect(classifyMetaError({ httpStatus: 502, body: '<html>Bad gateway</html>' })).toBeInstanceOf(MetaTransientError);
    const timeout = classifyMetaError({ networkFailure: 'timeout', operation: 'GET /act_1/campaigns' });
    expect(timeout).toBeInstanceOf(MetaTransientError);
    expect(timeout.message).toMatch(/did not answer in time \(GET \/act_1\/campaigns\)/);
    expect(classifyMetaError({ networkFailure: 'network' })).toBeInstanceOf(MetaTransientError);
  });

  it('100 → MetaInvalidRequestError with the user title/message and blamed fields', () => {
    const error = classifyMetaError({
      httpStatus: 400,
      body: envelope({
        code: 100,
        error_subcode: 1885272,
        message: 'Invalid parameter',
        error_user_title: 'Budget too low',
        error_user_msg: 'Your budget must be at least $1.00',
        error_data: { blame_field_specs: [['daily_budget']] },
      }),
    });
    expect(error).toBeInstanceOf(MetaInvalidRequestError);
    expect(error.message).toContain('Budget too low: Your budget must be at least $1.00');
    expect(error.message).toContain('Fields: daily_budget');
    expect(error.meta).toMatchObject({ userTitle: 'Budget too low', userMessage: 'Your budget must be at least $1.00', blameFields: ['daily_budget'] });
    expect(error.retryable).toBe(false);
  });

  it('2635 and other 4xx → MetaInvalidRequestError', () => {
    const deprecated = classifyMetaError({ httpStatus: 400, body: envelope({ code: 2635, message: '(#2635) You are calling a deprecated version of the Ads API.' }) });
    expect(deprecated).toBeInstanceOf(MetaInvalidRequestError);
    expect(deprecated.message).toMatch(/META_API_VERSION/);
    expect(classifyMetaError({ httpStatus: 404, body: '' })).toBeInstanceOf(MetaInvalidRequestError);
  });

  it('never carries the token, proof or access_token values in message, meta, JSON or inspect', () => {
    const proof = 'f'.repeat(64);
    const error = classifyMetaError({
      httpStatus: 400,
      body: envelope({
        code: 190,
        message: `Malformed access token ${TOKEN} at https://graph.facebook.com/v24.0/me?access_token=${TOKEN}&appsecret_proof=${proof}`,
        error_user_msg: `token ${encodeURIComponent(TOKEN)}`,
      }),
      secrets: [TOKEN, proof],
      operation: `GET /me?access_token=${TOKEN}`,
    });
    for (const view of [error.message, JSON.stringify(error), util.inspect(error, { depth: 10 }), String(error.stack), JSON.stringify(error.details)]) {
      expect(view).not.toContain(TOKEN);
      expect(view).not.toContain(proof);
    }
    // Even an unknown token is removed when it appears as a parameter.
    expect(redactSecrets('x?access_token=abc123&b=1 {"appsecret_proof":"zz"}')).toBe('x?access_token=[redacted]&b=1 {"appsecret_proof":"[redacted]"}');
  });
});
