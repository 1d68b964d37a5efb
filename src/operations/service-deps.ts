import { MetaClient } from '../meta/meta-client';
import { tokenCipherFromConfig, type TokenCipher } from '../meta/token-crypto';
import type { MetaAccountReader, ServiceContext } from './service-context';

const ciphers = new WeakMap<ServiceContext, TokenCipher>();

/** The context's token cipher, built once per context from config when none was injected. */
export function tokenCipherOf(ctx: ServiceContext): TokenCipher {
  if (ctx.tokenCipher) return ctx.tokenCipher;
  let cipher = ciphers.get(ctx);
  if (!cipher) {
    cipher = tokenCipherFromConfig(ctx.config);
    ciphers.set(ctx, cipher);
  }
  return cipher;
}

/** A Graph client for one access token (the injected factory, else a MetaClient on config.meta). */
export function metaClientFor(ctx: ServiceContext, accessToken: string): MetaAccountReader {
  if (ctx.metaClientFactory) return ctx.metaClientFactory(accessToken);
  const meta = ctx.config.meta;
  return new MetaClient({
    graphUrl: meta.graphUrl,
    apiVersion: meta.apiVersion,
    accessToken,
    appSecret: meta.appSecret,
    usageThrottlePct: meta.usageThrottlePct,
    timeoutMs: 15_000,
  });
}
