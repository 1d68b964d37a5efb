import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { TokenCryptoError } from '../../src/errors';
import { createTokenCipher, loadOrCreateDemoKey, parseEncryptionKeys, tokenCipherFromConfig } from '../../src/meta/token-crypto';

const TOKEN = 'fake-meta-token-crypto-do-not-leak-123456';

describe('token crypto', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('round-trips and never produces the same ciphertext twice', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const a = cipher.encrypt(TOKEN);
    const b = cipher.encrypt(TOKEN);
    expect(a.keyId).toBe('k1');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain(TOKEN);
    expect(cipher.decrypt(a)).toBe(TOKEN);
  });

  it('rotates: new key encrypts, old ciphertexts still decrypt', () => {
    const old = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' }).encrypt(TOKEN);
    const rotated = createTokenCipher({ keys: { k2, k1 }, activeKeyId: 'k2' });
    expect(rotated.decrypt(old)).toBe(TOKEN);
    const fresh = rotated.encrypt(TOKEN);
    expect(fresh.keyId).toBe('k2');
    expect(rotated.decrypt(fresh)).toBe(TOKEN);
  });

  it('detects tampering without echoing secrets', () => {
    const cipher = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' });
    const enc = cipher.encrypt(TOKEN);
    const blob = Buffer.from(enc.ciphertext, 'base64');
    blob[blob.length - 1] = (blob[blob.length - 1] as number) ^ 0xff;
    const tampered = { ciphertext: blob.toString('base64'), keyId: 'k1' };
    const error = catchError(() => cipher.decrypt(tampered));
    expect(error).toBeInstanceOf(TokenCryptoError);
    expect(error.message).toMatch(/wrong or the data was altered/);
    assertNoSecret(error, [TOKEN, tampered.ciphertext, k1.toString('base64')]);
    expect(() => cipher.decrypt({ ciphertext: 'AAAA', keyId: 'k1' })).toThrow(TokenCryptoError);
  });

  it('fails clearly with the wrong key or an unknown key id', () => {
    const enc = createTokenCipher({ keys: { k1 }, activeKeyId: 'k1' }).encrypt(TOKEN);
    const wrong = createTokenCipher({ keys: { k1: k2 }, activeKeyId: 'k1' });
    const error = catchError(() => wrong.decrypt(enc));
    expect(error).toBeInstanceOf(TokenCryptoError);
    assertNoSecret(error, [TOKEN, k1.toString('base64'), k2.toString('base64')]);
    expect(() => createTokenCipher({ keys: { k2 }, activeKeyId: 'k2' }).decrypt(enc)).toThrow(/key "k1", which is not configured/);
  });

  it('parses TOKEN_ENCRYPTION_KEY with and without ids, several for rotation', () => {
    const single = parseEncryptionKeys(k1.toString('base64'));
    expect(single.activeKeyId).toBe('k1');
    expect(single.keys.k1?.equals(k1)).toBe(true);
    const ring = parseEncryptionKeys(`new:${k2.toString('base64')}, old:${k1.toString('base64')}`);
    expect(ring.activeKeyId).toBe('new');
    expect(Object.keys(ring.keys)).toEqual(['new', 'old']);
    expect(() => parseEncryptionKeys('x:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseEncryptionKeys(`a:${k1.toString('base64')},a:${k2.toString('base64')}`)).toThrow(/twice/);
    expect(() => parseEncryptionKeys('')).toThrow(TokenCryptoError);
  });

  it('creates and reuses a demo key file with mode 600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meta-key-'));
    const dataDir = path.join(dir, 'nested');
    const first = loadOrCreateDemoKey(dataDir);
    const file = path.join(dataDir, 'token-encryption.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDemoKey(dataDir)).toBe(first);
    const cipher = tokenCipherFromConfig({ dataDir });
    expect(cipher.decrypt(cipher.encrypt(TOKEN))).toBe(TOKEN);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function assertNoSecret(error: Error, secrets: string[]): void {
  const views = [error.message, JSON.stringify(error), util.inspect(error, { depth: 10 }), String(error.stack)];
  for (const view of views) for (const secret of secrets) expect(view).not.toContain(secret);
}
