/**
 * Encryption of Meta access tokens at rest: AES-256-GCM, with the id of the key stored beside
 * the ciphertext so keys can rotate (new tokens use the active key, old ones still decrypt with
 * theirs). GCM's tag makes tampering detectable. Error messages never contain the plaintext,
 * the ciphertext or a key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TokenCryptoError } from '../errors';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key id used when `TOKEN_ENCRYPTION_KEY` has no `keyId:` prefix. */
const DEFAULT_KEY_ID = 'k1';
/** File that holds the generated demo-mode key inside the data directory. */
const DEMO_KEY_FILE = 'token-encryption.key';

/** A ciphertext and the id of the key that made it; both are stored. */
export interface EncryptedToken {
  /** base64 of iv (12) | tag (16) | data */
  ciphertext: string;
  keyId: string;
}

/** Options of {@link createTokenCipher}. */
export interface TokenCipherOptions {
  /** Every key that may still be needed to decrypt, by id (32 bytes each). */
  keys: Record<string, Buffer>;
  /** Key new tokens are encrypted with. */
  activeKeyId: string;
}

/** Encrypts and decrypts access tokens. */
export interface TokenCipher {
  readonly activeKeyId: string;
  encrypt(plain: string): EncryptedToken;
  decrypt(encrypted: EncryptedToken): string;
}

/** Creates a cipher over a key ring; the active key must be in it. */
export function createTokenCipher(options: TokenCipherOptions): TokenCipher {
  const keys = new Map<string, Buffer>();
  for (const [id, key] of Object.entries(options.keys)) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new TokenCryptoError(`Token encryption key "${id}" must be exactly ${KEY_BYTES} bytes`);
    }
    keys.set(id, Buffer.from(key));
  }
  if (!keys.has(options.activeKeyId)) {
    throw new TokenCryptoError(`The active token encryption key "${options.activeKeyId}" is not among the configured keys`);
  }
  const activeKeyId = options.activeKeyId;

  return {
    activeKeyId,
    encrypt(plain: string): EncryptedToken {
      if (typeof plain !== 'string' || plain.length === 0) throw new TokenCryptoError('Cannot encrypt an empty token');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, keys.get(activeKeyId) as Buffer, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return { ciphertext: Buffer.concat([iv, tag, data]).toString('base64'), keyId: activeKeyId };
    },
    decrypt(encrypted: EncryptedToken): string {
      const key = keys.get(encrypted.keyId);
      if (!key) {
        throw new TokenCryptoError(
          `The token was encrypted with key "${encrypted.keyId}", which is not configured: add it to TOKEN_ENCRYPTION_KEY or re-connect the ad account`,
        );
      }
      const blob = Buffer.from(encrypted.ciphertext ?? '', 'base64');
      if (blob.length <= IV_BYTES + TAG_BYTES) throw new TokenCryptoError('The stored token is not a valid ciphertext');
      const iv = blob.subarray(0, IV_BYTES);
      const tag = blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const data = blob.subarray(IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv(ALGORITHM, key, iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        // Node's message is generic, but it is dropped on purpose: nothing from the attempt is echoed.
        throw new TokenCryptoError(
          `The stored token could not be decrypted with key "${encrypted.keyId}": the key is wrong or the data was altered`,
        );
      }
    },
  };
}

/** The key ring parsed from `TOKEN_ENCRYPTION_KEY`. */
export interface ParsedEncryptionKeys {
  keys: Record<string, Buffer>;
  activeKeyId: string;
}

/**
 * Parses `TOKEN_ENCRYPTION_KEY`: `[keyId:]base64-of-32-bytes`, several comma-separated for
 * rotation, the first being the active one.
 */
export function parseEncryptionKeys(value: string): ParsedEncryptionKeys {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new TokenCryptoError('TOKEN_ENCRYPTION_KEY is empty');
  const keys: Record<string, Buffer> = {};
  let activeKeyId: string | undefined;
  parts.forEach((part, index) => {
    const colon = part.indexOf(':');
    const keyId = colon >= 0 ? part.slice(0, colon) : parts.length === 1 ? DEFAULT_KEY_ID : `k${index + 1}`;
    const encoded = colon >= 0 ? part.slice(colon + 1) : part;
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(keyId)) throw new TokenCryptoError(`TOKEN_ENCRYPTION_KEY entry ${index + 1} has an invalid key id`);
    if (keys[keyId]) throw new TokenCryptoError(`TOKEN_ENCRYPTION_KEY names key id "${keyId}" twice`);
    if (!/^[A-Za-z0-9+/=_-]+$/.test(encoded)) throw new TokenCryptoError(`TOKEN_ENCRYPTION_KEY entry "${keyId}" is not base64`);
    const key = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new TokenCryptoError(`TOKEN_ENCRYPTION_KEY entry "${keyId}" must decode to ${KEY_BYTES} bytes (got ${key.length})`);
    }
    keys[keyId] = key;
    activeKeyId ??= keyId;
  });
  return { keys, activeKeyId: activeKeyId as string };
}

/**
 * Demo mode only: reads `<dataDir>/token-encryption.key`, or creates it (mode 600) with a fresh
 * random key. Returns the file's content in `TOKEN_ENCRYPTION_KEY` format.
 */
export function loadOrCreateDemoKey(dataDir: string): string {
  const file = path.join(dataDir, DEMO_KEY_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    parseEncryptionKeys(existing);
    return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof TokenCryptoError) throw new TokenCryptoError(`${file} does not hold a valid key: ${error.message}`);
      throw error;
    }
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const value = `demo:${randomBytes(KEY_BYTES).toString('base64')}`;
  try {
    // `wx` so two processes starting at once cannot overwrite each other's key.
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDemoKey(dataDir);
    throw error;
  }
  return value;
}

/** Builds the cipher from a `TOKEN_ENCRYPTION_KEY` value, or from the demo key file when none is configured. */
export function tokenCipherFromConfig(config: { tokenEncryptionKey?: string; dataDir: string }): TokenCipher {
  const value = config.tokenEncryptionKey ?? loadOrCreateDemoKey(config.dataDir);
  return createTokenCipher(parseEncryptionKeys(value));
}
