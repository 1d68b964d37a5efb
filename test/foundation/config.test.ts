import { loadConfig } from '../../src/config';
import { ConfigurationError } from '../../src/errors';

describe('loadConfig', () => {
  test('defaults describe a demo deployment with embedded PostgreSQL and Temporal', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.meta.mode).toBe('demo');
    expect(config.meta.graphUrl).toBe('http://127.0.0.1:4100');
    expect(config.database.mode).toBe('embedded');
    expect(config.temporal.mode).toBe('embedded');
    expect(config.sync.attributionWindows).toEqual(['7d_click', '1d_view']);
    expect(Object.isFrozen(config.sync)).toBe(true);
  });

  test('an invalid value stops start-up naming the variable and what is expected', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ TEMPORAL_ADDRESS: 'localhost' })).toThrow(/TEMPORAL_ADDRESS: expected host:port/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected a postgresql:\/\/ connection URL/);
    expect(() => loadConfig({ META_API_VERSION: '24' })).toThrow(/META_API_VERSION/);
  });

  test('live mode needs an encryption key, and the error never echoes the app secret', () => {
    const env = { META_APP_ID: '123456', META_APP_SECRET: 'super-secret-value' };
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/TOKEN_ENCRYPTION_KEY: required in live mode/);
    expect(message).not.toContain('super-secret-value');
    const live = loadConfig({ ...env, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(live.meta.mode).toBe('live');
    expect(live.meta.graphUrl).toBe('https://graph.facebook.com');
  });

  test('external addresses switch the embedded parts off', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/app', TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(config.database.mode).toBe('external');
    expect(config.temporal.mode).toBe('external');
  });
});
