import { describe, expect, it } from 'vitest';
import { argon2Hasher } from '../../adapters/argon2/index.js';

describe('argon2Hasher', () => {
  const hasher = argon2Hasher();

  it('hashes with argon2id at the OWASP setting as a PHC string', async () => {
    expect(await hasher.hash('correct horse battery staple')).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
    );
  });

  it('salts every hash, verifies exactly, and never truncates', async () => {
    const password = 'y'.repeat(72) + 'z'.repeat(28);
    const [first, second] = await Promise.all([hasher.hash(password), hasher.hash(password)]);
    expect(first).not.toBe(second);
    expect(await hasher.verify(first, password)).toBe(true);
    expect(await hasher.verify(first, password.slice(0, 72))).toBe(false);
  });

  it('asks for a rehash of older parameters and of other algorithms, and refuses absurd ones', async () => {
    const older = await argon2Hasher({ memoryCost: 8192, timeCost: 1 }).hash('an older password hash');
    expect(hasher.needsRehash(older)).toBe(true);
    expect(await hasher.verify(older, 'an older password hash')).toBe(true);
    expect(hasher.needsRehash('$scrypt$ln=14,r=8,p=5$AAAA$AAAA')).toBe(true);
    expect(await hasher.verify('$argon2id$v=19$m=99999999,t=2,p=1$AAAA$AAAA', 'x')).toBe(false);
    expect(() => argon2Hasher({ parallelism: 0 })).toThrow(RangeError);
  });
});
