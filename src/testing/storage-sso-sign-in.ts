import type { SsoIdentity, SsoLogin, Storage } from '../adapter-kit/index.js';
import { at, ssoIdentityRecord, ssoLoginRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

const conflict = { name: 'TenantryError', code: 'CONFLICT' };

/**
 * What signing in through SSO needs of storage: started logins read back
 * exactly, found by digest and by SAML request id, consumed once and never
 * after they expired; assertion ids accepted once per connection; identity
 * links read back exactly, unique per connection and subject, found by user
 * oldest first and removed with the user; however many transactions race,
 * and all of it rolled back with its transaction.
 */
export function describeSsoSignInContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: SSO sign-ins`, () => {
    let storage: Storage;
    const start = (...logins: SsoLogin[]) =>
      storage.transaction(async (tx) => {
        for (const login of logins) await tx.ssoLogins.insert(login);
      });
    const link = (...identities: SsoIdentity[]) =>
      storage.transaction(async (tx) => {
        for (const identity of identities) await tx.ssoIdentities.insert(identity);
      });
    const consume = (digest: string, when: Date) => storage.transaction((tx) => tx.ssoLogins.consume(digest, when));
    const remember = (connectionId: string, assertionId: string) =>
      storage.transaction((tx) => tx.ssoAssertions.remember(connectionId, assertionId, at(300_000)));

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('reads started logins back exactly, by digest and a SAML login by its request id', async () => {
      const oidc = ssoLoginRecord('sso_oidc', { createdAt: at(5), expiresAt: at(605) });
      const saml = ssoLoginRecord('sso_saml', {
        digest: 'e'.repeat(64),
        organizationId: 'org_b',
        codeVerifier: null,
        nonce: null,
        requestId: '_a1b2c3-ÄÖ',
        returnTo: null,
        consumedAt: at(7),
      });
      await start(oidc, saml);
      await storage.transaction(async (tx) => {
        expect(await tx.ssoLogins.get(oidc.digest)).toEqual(oidc);
        expect(await tx.ssoLogins.get(saml.digest)).toEqual(saml);
        expect(await tx.ssoLogins.get('0'.repeat(64))).toBeNull();
        expect(await tx.ssoLogins.byRequestId('_a1b2c3-ÄÖ')).toEqual(saml);
        expect(await tx.ssoLogins.byRequestId('_a1b2c3')).toBeNull();
      });
      // What it returns is a copy: changing it changes nothing stored.
      const copy = await storage.transaction((tx) => tx.ssoLogins.get(oidc.digest));
      copy?.expiresAt.setTime(0);
      expect(await storage.transaction((tx) => tx.ssoLogins.get(oidc.digest))).toEqual(oidc);
    });

    it('consumes a login once, never after it expired, recording when', async () => {
      const open = ssoLoginRecord('sso_a');
      const expiring = ssoLoginRecord('sso_a', { digest: 'e'.repeat(64), expiresAt: at(1_000) });
      await start(open, expiring);
      expect(await consume(open.digest, at(10))).toBe(true);
      expect(await consume(open.digest, at(11))).toBe(false);
      expect(await storage.transaction((tx) => tx.ssoLogins.get(open.digest))).toEqual({ ...open, consumedAt: at(10) });
      // Expired at the moment it expires.
      expect(await consume(expiring.digest, at(1_000))).toBe(false);
      expect(await storage.transaction((tx) => tx.ssoLogins.get(expiring.digest))).toEqual(expiring);
      expect(await consume('0'.repeat(64), at(10))).toBe(false);
    });

    it('consumes a login for one of many concurrent callbacks', async () => {
      const login = ssoLoginRecord('sso_a');
      await start(login);
      const consumed = await Promise.all(Array.from({ length: 10 }, () => consume(login.digest, at(20))));
      expect(consumed.filter(Boolean)).toHaveLength(1);
      expect(await storage.transaction((tx) => tx.ssoLogins.get(login.digest))).toEqual({
        ...login,
        consumedAt: at(20),
      });
    });

    it('remembers an assertion id once per connection', async () => {
      expect(await remember('sso_a', '_assertion-1')).toBe(true);
      expect(await remember('sso_a', '_assertion-1')).toBe(false);
      expect(await remember('sso_b', '_assertion-1')).toBe(true);
      expect(await remember('sso_a', '_assertion-2')).toBe(true);
      expect(await remember('sso_a', '_assertion-1')).toBe(false);
    });

    it('remembers an assertion id for one of many concurrent acceptances', async () => {
      const remembered = await Promise.all(Array.from({ length: 10 }, () => remember('sso_a', '_replayed')));
      expect(remembered.filter(Boolean)).toHaveLength(1);
      expect(await remember('sso_a', '_replayed')).toBe(false);
    });

    it('reads identity links back exactly, and a user’s links oldest first', async () => {
      const later = ssoIdentityRecord('sso_a', { subject: 'AAA', createdAt: at(20), lastSignInAt: at(30) });
      const first = ssoIdentityRecord('sso_b', { subject: 'ZZZ', createdAt: at(10), lastSignInAt: at(10) });
      // Created at the same moment as `later`: connection ids, then subjects, break the tie, in code-point order.
      const sameConnection = ssoIdentityRecord('sso_a', { subject: 'AAa', createdAt: at(20) });
      const otherConnection = ssoIdentityRecord('sso_a_', { subject: 'AAA', createdAt: at(20) });
      const unicode = ssoIdentityRecord('sso_b', { subject: 'jürgen@example.test', userId: 'usr_b' });
      await link(otherConnection, unicode, later, first, sameConnection);
      await storage.transaction(async (tx) => {
        for (const identity of [later, first, sameConnection, otherConnection, unicode])
          expect(await tx.ssoIdentities.get(identity.connectionId, identity.subject)).toEqual(identity);
        expect(await tx.ssoIdentities.get('sso_a', 'aaa')).toBeNull();
        expect(await tx.ssoIdentities.get('sso_b', 'AAA')).toBeNull();
        expect(await tx.ssoIdentities.forUser('usr_a')).toEqual([first, later, sameConnection, otherConnection]);
        expect(await tx.ssoIdentities.forUser('usr_b')).toEqual([unicode]);
        expect(await tx.ssoIdentities.forUser('usr_nobody')).toEqual([]);
      });
      const copy = await storage.transaction((tx) => tx.ssoIdentities.get('sso_a', 'AAA'));
      copy?.lastSignInAt.setTime(0);
      expect(await storage.transaction((tx) => tx.ssoIdentities.get('sso_a', 'AAA'))).toEqual(later);
    });

    it('refuses a second link of a subject at one connection with CONFLICT, also when two race', async () => {
      const identity = ssoIdentityRecord('sso_a');
      await link(identity);
      await expect(link({ ...identity, userId: 'usr_b' })).rejects.toMatchObject(conflict);
      expect(await storage.transaction((tx) => tx.ssoIdentities.forUser('usr_b'))).toEqual([]);
      const racing = ['usr_c', 'usr_d', 'usr_e'].map((userId) => ({ ...identity, subject: 'racer', userId }));
      const outcomes = await Promise.allSettled(racing.map((attempt) => link(attempt)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject(conflict);
      const winner = racing[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
      expect(await storage.transaction((tx) => tx.ssoIdentities.get('sso_a', 'racer'))).toEqual(winner);
    });

    it('records a sign-in through a link, and removes every link of a user and nobody else’s', async () => {
      const mine = [ssoIdentityRecord('sso_a'), ssoIdentityRecord('sso_b', { createdAt: at(1) })];
      const theirs = ssoIdentityRecord('sso_a', { userId: 'usr_b' });
      await link(...mine, theirs);
      await storage.transaction((tx) => tx.ssoIdentities.touch('sso_a', theirs.subject, at(40)));
      await storage.transaction((tx) => tx.ssoIdentities.touch('sso_a', 'unknown', at(40)));
      expect(await storage.transaction((tx) => tx.ssoIdentities.get('sso_a', theirs.subject))).toEqual({
        ...theirs,
        lastSignInAt: at(40),
      });
      await storage.transaction((tx) => tx.ssoIdentities.removeForUser('usr_a'));
      await storage.transaction((tx) => tx.ssoIdentities.removeForUser('usr_a'));
      await storage.transaction(async (tx) => {
        expect(await tx.ssoIdentities.forUser('usr_a')).toEqual([]);
        for (const identity of mine)
          expect(await tx.ssoIdentities.get(identity.connectionId, identity.subject)).toBeNull();
        expect(await tx.ssoIdentities.forUser('usr_b')).toEqual([{ ...theirs, lastSignInAt: at(40) }]);
      });
      // The subjects are free to be linked again.
      await link(...mine);
    });

    it('rolls back every sign-in write with the rest of a failed transaction', async () => {
      const open = ssoLoginRecord('sso_a', { requestId: '_request' });
      const identity = ssoIdentityRecord('sso_a');
      const spare = ssoIdentityRecord('sso_b', { createdAt: at(1) });
      await start(open);
      await link(identity, spare);
      const failure = new Error('boom');
      const added = ssoLoginRecord('sso_a', { digest: 'f'.repeat(64), requestId: '_added' });
      const addedLink = ssoIdentityRecord('sso_a', { userId: 'usr_b' });
      await expect(
        storage.transaction(async (tx) => {
          await tx.ssoLogins.insert(added);
          await tx.ssoLogins.consume(open.digest, at(3));
          await tx.ssoAssertions.remember('sso_a', '_assertion', at(300_000));
          await tx.ssoIdentities.insert(addedLink);
          await tx.ssoIdentities.touch('sso_a', identity.subject, at(3));
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        storage.transaction(async (tx) => {
          await tx.ssoIdentities.removeForUser('usr_a');
          throw failure;
        }),
      ).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.ssoLogins.get(open.digest)).toEqual(open);
        expect(await tx.ssoLogins.get(added.digest)).toBeNull();
        expect(await tx.ssoLogins.byRequestId('_added')).toBeNull();
        expect(await tx.ssoLogins.byRequestId('_request')).toEqual(open);
        expect(await tx.ssoIdentities.get('sso_a', addedLink.subject)).toBeNull();
        expect(await tx.ssoIdentities.forUser('usr_a')).toEqual([identity, spare]);
        expect(await tx.ssoIdentities.forUser('usr_b')).toEqual([]);
      });
      // And what was rolled back can be done now.
      expect(await consume(open.digest, at(4))).toBe(true);
      expect(await remember('sso_a', '_assertion')).toBe(true);
      await link(addedLink);
    });
  });
}
