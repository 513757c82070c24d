import { describe, expect, it } from 'vitest';
import { scryptHasher } from '../../src/passwords/scrypt-hasher.js';
import { checkPasswordLength, normalizePassword } from '../../src/rules/password-policy.js';
import { constantTimeEqual } from '../../src/secrets/constant-time.js';
import { newSecretToken, tokenDigest } from '../../src/secrets/one-time-token.js';

// A cheap setting keeps the suite fast; the default's parameters are checked separately.
const hasher = scryptHasher({ logN: 10, r: 8, p: 1 });

describe('scryptHasher', () => {
  it('hashes with the default OWASP setting as a self-describing string', async () => {
    const hash = await scryptHasher().hash('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('gives two users with the same password different hashes, and verifies each', async () => {
    const [first, second] = await Promise.all([hasher.hash('same password here'), hasher.hash('same password here')]);
    expect(first).not.toBe(second);
    expect(await hasher.verify(first, 'same password here')).toBe(true);
    expect(await hasher.verify(second, 'same password here')).toBe(true);
    expect(await hasher.verify(first, 'same password herE')).toBe(false);
  });

  it('never truncates: a 100-character password does not verify with its first 72 characters', async () => {
    const password = 'x'.repeat(72) + 'y'.repeat(28);
    const hash = await hasher.hash(password);
    expect(await hasher.verify(hash, password.slice(0, 72))).toBe(false);
    expect(await hasher.verify(hash, password)).toBe(true);
  });

  it('verifies a password typed in NFC against one typed in NFD', async () => {
    const nfc = 'Crème brûlée au café!'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const hash = await hasher.hash(normalizePassword(nfc));
    expect(await hasher.verify(hash, normalizePassword(nfd))).toBe(true);
  });

  it('asks for a rehash when the parameters changed, and rejects malformed hashes', async () => {
    const old = await scryptHasher({ logN: 9, r: 8, p: 1 }).hash('an older password hash');
    expect(hasher.needsRehash(old)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('a current password hash'))).toBe(false);
    expect(await hasher.verify(old, 'an older password hash')).toBe(true);
    for (const malformed of ['', 'plain', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA', '$argon2id$v=19$m=1,t=1,p=1$AAAA$AAAA']) {
      expect(await hasher.verify(malformed, 'anything at all')).toBe(false);
      expect(hasher.needsRehash(malformed)).toBe(true);
    }
  });
});

describe('checkPasswordLength', () => {
  const policy = { minLength: 15, maxLength: 256 };

  it.each([
    ['14 characters', 'a'.repeat(14), 'too-short'],
    ['257 characters', 'a'.repeat(257), 'too-long'],
  ])('refuses %s with WEAK_PASSWORD and a reason', (_, password, reason) => {
    expect(checkPasswordLength(password, policy)).toMatchObject({
      ok: false,
      code: 'WEAK_PASSWORD',
      details: { reason },
    });
  });

  it('counts code points after NFKC, not UTF-16 units, and demands no composition', () => {
    expect(checkPasswordLength('😀'.repeat(15), policy).ok).toBe(true);
    expect(checkPasswordLength('😀'.repeat(14), policy).ok).toBe(false);
    expect(checkPasswordLength('all lower case words', policy).ok).toBe(true);
    expect(checkPasswordLength('ﬁ'.repeat(8), policy).ok).toBe(true);
  });
});

describe('one-time tokens', () => {
  it('carries at least 160 bits and never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newSecretToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{40}$/);
  });

  it('is stored only as its SHA-256', () => {
    const token = newSecretToken();
    const digest = tokenDigest(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(token);
    expect(tokenDigest(token)).toBe(digest);
  });

  it('compares in constant time and exactly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});
