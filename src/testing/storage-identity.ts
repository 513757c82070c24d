import type { Session, Storage, TokenOrigin } from '../adapter-kit/index.js';
import { at, organizationRecord, sessionRecord as session, tokenRecord as token, userRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

export function describeIdentityContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: credentials, tokens and sessions`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('keeps one credential per user and replaces it', async () => {
      await storage.transaction(async (tx) => {
        expect(await tx.credentials.get('usr_a')).toBeNull();
        await tx.credentials.set({ userId: 'usr_a', passwordHash: '$scrypt$one', updatedAt: at(0) });
        await tx.credentials.set({ userId: 'usr_a', passwordHash: '$scrypt$two', updatedAt: at(1) });
      });
      const credential = await storage.transaction((tx) => tx.credentials.get('usr_a'));
      expect(credential).toEqual({ userId: 'usr_a', passwordHash: '$scrypt$two', updatedAt: at(1) });
    });

    it('consumes a token exactly once, even when redeemed concurrently', async () => {
      await storage.transaction((tx) => tx.tokens.insert(token()));
      const redemptions = await Promise.all(
        Array.from({ length: 10 }, () => storage.transaction((tx) => tx.tokens.consume('a'.repeat(64), at(5)))),
      );
      expect(redemptions.filter(Boolean)).toHaveLength(1);
      expect((await storage.transaction((tx) => tx.tokens.get('a'.repeat(64))))?.consumedAt).toEqual(at(5));
      expect(await storage.transaction((tx) => tx.tokens.consume('b'.repeat(64), at(5)))).toBe(false);
    });

    it('moves an open token to a new digest, keeping everything else, and finds it there by user and organization', async () => {
      const issued = token({ digest: '1'.repeat(64), origin: 'bulk', purpose: 'password-reset' });
      await storage.transaction((tx) => tx.tokens.insert(issued));
      expect(await storage.transaction((tx) => tx.tokens.rotate('1'.repeat(64), '2'.repeat(64), at(5)))).toBe(true);
      await storage.transaction(async (tx) => {
        expect(await tx.tokens.get('1'.repeat(64))).toBeNull();
        expect(await tx.tokens.get('2'.repeat(64))).toEqual({ ...issued, digest: '2'.repeat(64) });
        const [purposes, origins] = [['password-reset'], ['bulk']] as const;
        expect(await tx.tokens.countIssued({ userId: 'usr_a', purposes, origins, since: at(0) })).toBe(1);
        expect(await tx.tokens.countIssued({ organizationId: 'org_a', purposes, origins, since: at(0) })).toBe(1);
        // The old secret no longer redeems; the new one does, once.
        expect(await tx.tokens.consume('1'.repeat(64), at(6))).toBe(false);
        expect(await tx.tokens.revokeForUser('usr_a', at(6))).toBe(1);
        expect((await tx.tokens.get('2'.repeat(64)))?.consumedAt).toEqual(at(6));
      });
    });

    it('moves a token only while it is open: not once consumed, expired or unknown', async () => {
      const consumed = token({ digest: '1'.repeat(64), consumedAt: at(1) });
      const expiring = token({ digest: '2'.repeat(64), expiresAt: at(10) });
      await storage.transaction(async (tx) => {
        await tx.tokens.insert(consumed);
        await tx.tokens.insert(expiring);
      });
      const rotate = (digest: string, newDigest: string, when: Date) =>
        storage.transaction((tx) => tx.tokens.rotate(digest, newDigest, when));
      expect(await rotate('1'.repeat(64), '3'.repeat(64), at(5))).toBe(false);
      expect(await rotate('2'.repeat(64), '4'.repeat(64), at(10))).toBe(false);
      expect(await rotate('9'.repeat(64), '5'.repeat(64), at(5))).toBe(false);
      await storage.transaction(async (tx) => {
        expect(await tx.tokens.get('1'.repeat(64))).toEqual(consumed);
        expect(await tx.tokens.get('2'.repeat(64))).toEqual(expiring);
        for (const digest of ['3', '4', '5']) expect(await tx.tokens.get(digest.repeat(64))).toBeNull();
      });
      // Just before it expires it still moves.
      expect(await rotate('2'.repeat(64), '4'.repeat(64), at(9))).toBe(true);
    });

    it('revokes a user’s open tokens, of one purpose or all', async () => {
      await storage.transaction(async (tx) => {
        await tx.tokens.insert(token({ digest: '1'.repeat(64) }));
        await tx.tokens.insert(token({ digest: '2'.repeat(64), purpose: 'password-reset' }));
        await tx.tokens.insert(token({ digest: '3'.repeat(64), userId: 'usr_b' }));
        expect(await tx.tokens.revokeForUser('usr_a', at(9), 'invitation')).toBe(1);
        expect(await tx.tokens.revokeForUser('usr_a', at(9))).toBe(1);
        expect(await tx.tokens.revokeForUser('usr_a', at(9))).toBe(0);
        expect((await tx.tokens.get('3'.repeat(64)))?.consumedAt).toBeNull();
      });
    });

    it('counts the tokens issued since a moment, per user or per organization', async () => {
      await storage.transaction(async (tx) => {
        await tx.tokens.insert(token({ digest: '1'.repeat(64), createdAt: at(0) }));
        await tx.tokens.insert(
          token({ digest: '2'.repeat(64), createdAt: at(10), purpose: 'password-reset', consumedAt: at(11) }),
        );
        await tx.tokens.insert(token({ digest: '3'.repeat(64), createdAt: at(20), userId: 'usr_b' }));
        await tx.tokens.insert(token({ digest: '4'.repeat(64), createdAt: at(30), purpose: 'password-change' }));
      });
      await storage.transaction(async (tx) => {
        const purposes = ['invitation', 'password-reset'] as const;
        const origins = ['admin'] as const;
        expect(await tx.tokens.countIssued({ userId: 'usr_a', purposes, origins, since: at(0) })).toBe(2);
        expect(await tx.tokens.countIssued({ userId: 'usr_a', purposes, origins, since: at(5) })).toBe(1);
        expect(await tx.tokens.countIssued({ organizationId: 'org_a', purposes, origins, since: at(0) })).toBe(3);
        expect(await tx.tokens.countIssued({ organizationId: 'org_b', purposes, origins, since: at(0) })).toBe(0);
      });
    });

    it('counts only the tokens of the origins asked for, per user and per organization', async () => {
      const issued = [
        token({ digest: '1'.repeat(64), origin: 'self-service' }),
        token({ digest: '2'.repeat(64), origin: 'self-service', purpose: 'password-reset' }),
        token({ digest: '3'.repeat(64), origin: 'admin' }),
        token({ digest: '4'.repeat(64), origin: 'bulk', userId: 'usr_b' }),
        token({ digest: '5'.repeat(64), origin: 'bulk', userId: 'usr_c' }),
        token({ digest: '6'.repeat(64), origin: 'self-service', userId: 'usr_b' }),
        token({ digest: '7'.repeat(64), origin: 'self-service', organizationId: 'org_b', userId: 'usr_x' }),
      ];
      await storage.transaction(async (tx) => {
        for (const item of issued) await tx.tokens.insert(item);
      });
      const purposes = ['invitation', 'password-reset'] as const;
      const count = (owner: { userId: string } | { organizationId: string }, origins: TokenOrigin[]) =>
        storage.transaction((tx) => tx.tokens.countIssued({ ...owner, purposes, origins, since: at(0) }));
      expect(await count({ userId: 'usr_a' }, ['self-service'])).toBe(2);
      expect(await count({ userId: 'usr_a' }, ['admin'])).toBe(1);
      expect(await count({ userId: 'usr_a' }, ['bulk'])).toBe(0);
      expect(await count({ userId: 'usr_a' }, ['self-service', 'admin'])).toBe(3);
      expect(await count({ organizationId: 'org_a' }, ['self-service'])).toBe(3);
      expect(await count({ organizationId: 'org_a' }, ['bulk'])).toBe(2);
      expect(await count({ organizationId: 'org_a' }, ['admin', 'bulk'])).toBe(3);
      expect(await count({ organizationId: 'org_b' }, ['self-service'])).toBe(1);
      expect(await count({ organizationId: 'org_a' }, [])).toBe(0);
      // Each token reads back with the origin it was issued with.
      for (const item of issued) expect(await storage.transaction((tx) => tx.tokens.get(item.digest))).toEqual(item);
    });

    it('touches, revokes and counts sessions, keeping the one asked for', async () => {
      await storage.transaction(async (tx) => {
        await tx.sessions.insert(session({ digest: '1'.repeat(64) }));
        await tx.sessions.insert(session({ digest: '2'.repeat(64) }));
        await tx.sessions.insert(session({ digest: '3'.repeat(64) }));
        await tx.sessions.insert(session({ digest: '4'.repeat(64), expiresAt: at(1) }));
        await tx.sessions.touch('1'.repeat(64), at(10), at(7_200_000));
        await tx.sessions.revoke('2'.repeat(64), at(11));
      });
      await storage.transaction(async (tx) => {
        expect(await tx.sessions.get('1'.repeat(64))).toMatchObject({ lastSeenAt: at(10), expiresAt: at(7_200_000) });
        expect((await tx.sessions.get('2'.repeat(64)))?.revokedAt).toEqual(at(11));
        // Only live sessions count: 2 is revoked, 4 has expired by then.
        expect(await tx.sessions.revokeForUser('usr_a', at(20), '1'.repeat(64))).toBe(1);
        expect((await tx.sessions.get('1'.repeat(64)))?.revokedAt).toBeNull();
        expect(await tx.sessions.revokeForUser('usr_a', at(21))).toBe(1);
      });
    });

    it('keeps how a session was won and when its user must enroll a second factor, as written', async () => {
      const sessions = [
        session({ digest: '1'.repeat(64), authenticationMethods: ['password', 'totp'], lastSeenAt: at(3) }),
        session({ digest: '2'.repeat(64), authenticationMethods: ['password'], enrollmentDueAt: at(1_209_600_000) }),
        session({ digest: '3'.repeat(64), authenticationMethods: ['sso'], lastSeenAt: at(1) }),
        session({ digest: '4'.repeat(64), authenticationMethods: ['password', 'recovery-code', 'passkey'] }),
      ];
      await storage.transaction(async (tx) => {
        for (const item of sessions) await tx.sessions.insert(item);
        await tx.sessions.touch('4'.repeat(64), at(2), at(3_600_002));
      });
      const [totp, due, sso, recovered] = sessions as [Session, Session, Session, Session];
      const touched = { ...recovered, lastSeenAt: at(2), expiresAt: at(3_600_002) };
      await storage.transaction(async (tx) => {
        for (const item of [totp, due, sso]) expect(await tx.sessions.get(item.digest)).toEqual(item);
        expect(await tx.sessions.get(recovered.digest)).toEqual(touched);
        expect(await tx.sessions.listLive('usr_a', at(10))).toEqual([totp, touched, sso, due]);
        await tx.sessions.revoke(due.digest, at(11));
        expect(await tx.sessions.get(due.digest)).toEqual({ ...due, revokedAt: at(11) });
      });
      // What it returns is a copy: changing it changes nothing stored.
      const copy = await storage.transaction((tx) => tx.sessions.get(totp.digest));
      copy?.authenticationMethods.push('sso');
      expect(await storage.transaction((tx) => tx.sessions.get(totp.digest))).toEqual(totp);
      if (!storage.readSession) return;
      const organization = organizationRecord();
      const user = userRecord(organization.id, { id: 'usr_a' });
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(user);
      });
      expect((await storage.readSession(totp.digest))?.session).toEqual(totp);
      expect((await storage.readSession(due.digest))?.session).toEqual({ ...due, revokedAt: at(11) });
    });

    it('lists a user’s live sessions, most recently used first', async () => {
      await storage.transaction(async (tx) => {
        await tx.sessions.insert(session({ digest: '1'.repeat(64), lastSeenAt: at(5) }));
        await tx.sessions.insert(session({ digest: '2'.repeat(64), lastSeenAt: at(9) }));
        await tx.sessions.insert(session({ digest: '3'.repeat(64), lastSeenAt: at(7) }));
        await tx.sessions.insert(session({ digest: '4'.repeat(64), revokedAt: at(8) }));
        await tx.sessions.insert(session({ digest: '5'.repeat(64), expiresAt: at(20) }));
        await tx.sessions.insert(session({ digest: '6'.repeat(64), absoluteExpiresAt: at(20) }));
        await tx.sessions.insert(session({ digest: '7'.repeat(64), userId: 'usr_b' }));
      });
      const listed = await storage.transaction((tx) => tx.sessions.listLive('usr_a', at(20)));
      expect(listed.map((item) => item.digest[0])).toEqual(['2', '3', '1']);
      expect(listed[0]).toEqual(session({ digest: '2'.repeat(64), lastSeenAt: at(9) }));
      expect(await storage.transaction((tx) => tx.sessions.listLive('usr_a', at(19)))).toHaveLength(5);
      expect(await storage.transaction((tx) => tx.sessions.listLive('usr_nobody', at(0)))).toEqual([]);
    });

    it('reads a session with its user, their resource access, organization and custom roles in one step, where it can', async () => {
      if (!storage.readSession) return;
      const securityPolicy = {
        mfa: 'required' as const,
        enrollmentGraceDays: 7,
        mfaRequiredSince: at(2),
        ssoRequired: false,
      };
      const organization = organizationRecord({ securityPolicy });
      const user = userRecord(organization.id, { id: 'usr_a', roles: ['auditor'] });
      const role = {
        organizationId: organization.id,
        key: 'auditor',
        label: 'Auditor',
        permissions: ['tickets.view'],
        createdAt: at(5),
      };
      await storage.transaction(async (tx) => {
        await tx.organizations.insert(organization);
        await tx.users.insert(user);
        await tx.roles.insert(role);
        await tx.sessions.insert(session());
        const owner = { organizationId: organization.id, userId: user.id };
        await tx.resources.replace({ ...owner, type: 'instance' }, 'all');
        await tx.resources.replace({ ...owner, type: 'job' }, ['j2', 'j1']);
        await tx.resources.replace({ ...owner, userId: 'usr_b', type: 'project' }, 'all');
      });
      expect(await storage.readSession('s'.repeat(64))).toEqual({
        session: session(),
        user,
        resourceAccess: { instance: 'all', job: ['j1', 'j2'] },
        organization,
        customRoles: [role],
      });
      expect(await storage.readSession('0'.repeat(64))).toBeNull();
      // What it returns is a copy: changing it changes nothing stored.
      const read = await storage.readSession('s'.repeat(64));
      read?.user.permissions.push('org.admin');
      (read?.resourceAccess.job as string[] | undefined)?.push('j3');
      const again = await storage.readSession('s'.repeat(64));
      expect(again?.user.permissions).toEqual(user.permissions);
      expect(again?.resourceAccess.job).toEqual(['j1', 'j2']);
    });

    it('rolls back identity writes with the rest of a failed transaction', async () => {
      await storage.transaction((tx) => tx.tokens.insert(token()));
      const failure = new Error('boom');
      await expect(
        storage.transaction(async (tx) => {
          await tx.credentials.set({ userId: 'usr_a', passwordHash: '$scrypt$x', updatedAt: at(0) });
          await tx.tokens.consume('a'.repeat(64), at(1));
          await tx.sessions.insert(session());
          await tx.tokens.insert(token({ digest: 'b'.repeat(64), purpose: 'password-reset' }));
          await tx.tokens.rotate('b'.repeat(64), 'c'.repeat(64), at(1));
          throw failure;
        }),
      ).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.credentials.get('usr_a')).toBeNull();
        expect((await tx.tokens.get('a'.repeat(64)))?.consumedAt).toBeNull();
        expect(await tx.sessions.get('s'.repeat(64))).toBeNull();
        expect(await tx.tokens.get('c'.repeat(64))).toBeNull();
        // Nothing of the failed writes is found by user or organization either.
        expect(await tx.sessions.listLive('usr_a', at(1))).toEqual([]);
        expect(await tx.sessions.revokeForUser('usr_a', at(1))).toBe(0);
        const [purposes, origins] = [['invitation', 'password-reset'], ['admin']] as const;
        expect(await tx.tokens.countIssued({ userId: 'usr_a', purposes, origins, since: at(0) })).toBe(1);
        expect(await tx.tokens.countIssued({ organizationId: 'org_a', purposes, origins, since: at(0) })).toBe(1);
        expect(await tx.tokens.revokeForUser('usr_a', at(2))).toBe(1);
      });
    });
  });
}
