/**
 * The Meta app the simulator knows in demo mode: the service's Facebook Login defaults (src/config.ts)
 * and the simulator's OAuth endpoints agree on it, so the connect flow works with no Meta app at all.
 * Not a secret: it opens nothing but the local simulator.
 */
export const DEMO_META_APP = { appId: '1000000000000001', appSecret: 'sim-app-secret-0123456789abcdef', webhookVerifyToken: 'sim-webhook-verify-token' } as const;
