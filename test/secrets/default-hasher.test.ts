import { describe, expect, it } from 'vitest';
import { memoryMailer, memoryStorage, testClock } from '../../adapters/memory/index.js';
import { UserManagement } from '../../src/index.js';
import { defaultPasswordHasher } from '../../src/passwords/default-hasher.js';
import { migratingHasher } from '../../src/passwords/password-hasher.js';
import { scryptHasher } from '../../src/passwords/scrypt-hasher.js';
import { person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';

describe('the default password hasher', () => {
  it('hashes with argon2id at the OWASP setting and still verifies scrypt hashes of any setting', async () => {
    const hasher = defaultPasswordHasher();
    const hash = await hasher.hash(password);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(hash, password)).toBe(true);
    expect(hasher.needsRehash(hash)).toBe(false);
    for (const legacy of [scryptHasher(), scryptHasher({ logN: 10, r: 8, p: 1 })]) {
      const old = await legacy.hash(password);
      expect(await hasher.verify(old, password)).toBe(true);
      expect(await hasher.verify(old, 'not the password at all')).toBe(false);
      expect(hasher.needsRehash(old)).toBe(true);
    }
    expect(await hasher.verify('$bcrypt$something', password)).toBe(false);
  });

  it('replaces an scrypt hash with argon2id at the next sign-in, which works as before', async () => {
    const storage = memoryStorage();
    const options = { storage, mailer: memoryMailer(), clock: testClock('2026-03-02T09:00:00Z') };
    // An installation of the earlier release, whose default was scrypt…
    const before = new UserManagement({ ...options, passwordHasher: scryptHasher({ logN: 10, r: 8, p: 1 }) });
    const { firstUser } = await before.as({ type: 'operator' }).organizations.create({
      name: 'Acme',
      firstUser: { ...person('Ann', 'Admin'), invite: false },
    });
    const { link } = await before.as({ type: 'operator' }).invitations.createLink(firstUser.id);
    await before.auth.acceptInvitation({
      token: new URL(link, 'https://x.test').searchParams.get('token') ?? '',
      password,
    });
    const stored = async () => (await storage.transaction((tx) => tx.credentials.get(firstUser.id)))?.passwordHash;
    expect(await stored()).toMatch(/^\$scrypt\$/);
    // …upgraded to the default.
    const after = new UserManagement(options);
    expect((await after.auth.signIn({ email: firstUser.email, password })).kind).toBe('session');
    expect(await stored()).toMatch(/^\$argon2id\$/);
    const { items } = await after.as({ type: 'operator' }).audit.list({
      organizationId: firstUser.organizationId,
      action: 'credential.upgraded',
    });
    expect(items).toHaveLength(1);
    expect((await after.auth.signIn({ email: firstUser.email, password })).kind).toBe('session');
  });

  it('lets a hasher migrate from another one, asking each hash of the one that made it', async () => {
    const old = scryptHasher({ logN: 10, r: 8, p: 1 });
    const current = scryptHasher({ logN: 11, r: 8, p: 1 });
    const hasher = migratingHasher(current, [old]);
    const oldHash = await old.hash(password);
    expect(await hasher.verify(oldHash, password)).toBe(true);
    expect(hasher.needsRehash(oldHash)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash(password))).toBe(false);
  });
});
