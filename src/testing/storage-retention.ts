import type { Storage, StorageTransaction } from '../adapter-kit/index.js';
import {
  at,
  auditRecord,
  importReportRecord,
  sessionRecord,
  ssoLoginRecord,
  tokenRecord,
  webauthnChallengeRecord,
} from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

const HOUR = 3_600_000;
const digest = (index: number, letter = 'a') => `${letter}${index.toString(16).padStart(63, '0')}`;
/** The cutoff of every test: rows that ended before it go, rows that ended at it or later stay. */
const cutoff = at(10 * HOUR);
const before = at(10 * HOUR - 1);
const later = at(20 * HOUR);

/**
 * What a purge needs of storage: each kind's rows that a cutoff selects
 * removed, never more than the limit in one call, never a row the cutoff
 * does not select (a live session, an open token), and the removal rolled
 * back with its transaction.
 */
export function describeRetentionContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: retention`, () => {
    let storage: Storage;
    const write = (work: (tx: StorageTransaction) => Promise<unknown>) => storage.transaction(work);
    const purge = (kind: Parameters<StorageTransaction['retention']['purge']>[0], limit = 100) =>
      storage.transaction((tx) => tx.retention.purge(kind, cutoff, limit));

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('removes sessions revoked or past their absolute end before the cutoff, and no live one', async () => {
      const revoked = sessionRecord({ digest: digest(1), revokedAt: before, absoluteExpiresAt: later });
      const ended = sessionRecord({ digest: digest(2), expiresAt: before, absoluteExpiresAt: before });
      const revokedAtCutoff = sessionRecord({ digest: digest(3), revokedAt: cutoff, absoluteExpiresAt: later });
      const live = sessionRecord({ digest: digest(4), expiresAt: later, absoluteExpiresAt: later });
      // Idled out but not past its absolute end: it goes once that is past the cutoff.
      const idle = sessionRecord({ digest: digest(5), expiresAt: before, absoluteExpiresAt: later });
      await write(async (tx) => {
        for (const session of [revoked, ended, revokedAtCutoff, live, idle]) await tx.sessions.insert(session);
      });
      expect(await purge('sessions')).toBe(2);
      expect(await purge('sessions')).toBe(0);
      await storage.transaction(async (tx) => {
        expect(await tx.sessions.get(revoked.digest)).toBeNull();
        expect(await tx.sessions.get(ended.digest)).toBeNull();
        expect(await tx.sessions.get(revokedAtCutoff.digest)).toEqual(revokedAtCutoff);
        expect(await tx.sessions.get(live.digest)).toEqual(live);
        expect(await tx.sessions.get(idle.digest)).toEqual(idle);
        expect((await tx.sessions.listLive('usr_a', at(0))).map((session) => session.digest).sort()).toEqual(
          [live, idle].map((session) => session.digest).sort(),
        );
        // The user's index lost the removed ones: revoking the rest counts only the live ones.
        expect(await tx.sessions.revokeForUser('usr_a', at(0))).toBe(2);
      });
    });

    it('removes at most the limit a call, the rest in the next calls', async () => {
      await write(async (tx) => {
        for (let index = 0; index < 7; index += 1) {
          await tx.sessions.insert(sessionRecord({ digest: digest(index), absoluteExpiresAt: before }));
        }
        await tx.sessions.insert(sessionRecord({ digest: digest(9, 'b'), revokedAt: before }));
      });
      expect(await purge('sessions', 3)).toBe(3);
      expect(await purge('sessions', 3)).toBe(3);
      expect(await purge('sessions', 3)).toBe(2);
      expect(await purge('sessions', 3)).toBe(0);
    });

    it('removes tokens consumed or expired before the cutoff, and no open one', async () => {
      const consumed = tokenRecord({ digest: digest(1), consumedAt: before, expiresAt: later });
      const expired = tokenRecord({ digest: digest(2), expiresAt: before });
      const open = tokenRecord({ digest: digest(3), expiresAt: later });
      const consumedAtCutoff = tokenRecord({ digest: digest(4), consumedAt: cutoff, expiresAt: later });
      await write(async (tx) => tx.tokens.insertMany([consumed, expired, open, consumedAtCutoff]));
      expect(await purge('tokens', 1)).toBe(1);
      expect(await purge('tokens')).toBe(1);
      await storage.transaction(async (tx) => {
        expect(await tx.tokens.get(consumed.digest)).toBeNull();
        expect(await tx.tokens.get(expired.digest)).toBeNull();
        expect(await tx.tokens.get(open.digest)).toEqual(open);
        expect(await tx.tokens.get(consumedAtCutoff.digest)).toEqual(consumedAtCutoff);
        // The indexes of the mail budgets lost them too.
        const filter = { purposes: ['invitation'], origins: ['admin'], since: at(0) } as const;
        expect(await tx.tokens.countIssued({ ...filter, userId: 'usr_a' })).toBe(2);
        expect(await tx.tokens.countIssued({ ...filter, organizationId: 'org_a' })).toBe(2);
      });
    });

    it('removes challenges, started SSO sign-ins and assertion ids that expired before the cutoff', async () => {
      const oldChallenge = webauthnChallengeRecord({ digest: digest(1), expiresAt: before });
      const openChallenge = webauthnChallengeRecord({ digest: digest(2), expiresAt: cutoff });
      const oldLogin = ssoLoginRecord('sso_a', { digest: digest(3), requestId: '_old', expiresAt: before });
      const openLogin = ssoLoginRecord('sso_a', { digest: digest(4), requestId: '_open', expiresAt: later });
      await write(async (tx) => {
        await tx.webauthnChallenges.insert(oldChallenge);
        await tx.webauthnChallenges.insert(openChallenge);
        await tx.ssoLogins.insert(oldLogin);
        await tx.ssoLogins.insert(openLogin);
        await tx.ssoAssertions.remember('sso_a', '_expired', before);
        await tx.ssoAssertions.remember('sso_a', '_valid', cutoff);
      });
      expect(await purge('webauthnChallenges')).toBe(1);
      expect(await purge('ssoLogins')).toBe(1);
      expect(await purge('ssoAssertions')).toBe(1);
      await storage.transaction(async (tx) => {
        expect(await tx.webauthnChallenges.get(oldChallenge.digest)).toBeNull();
        expect(await tx.webauthnChallenges.get(openChallenge.digest)).toEqual(openChallenge);
        expect(await tx.ssoLogins.get(oldLogin.digest)).toBeNull();
        expect(await tx.ssoLogins.byRequestId('_old')).toBeNull();
        expect(await tx.ssoLogins.byRequestId('_open')).toEqual(openLogin);
        // An id still valid is still refused once more; an expired one is forgotten.
        expect(await tx.ssoAssertions.remember('sso_a', '_valid', later)).toBe(false);
        expect(await tx.ssoAssertions.remember('sso_a', '_expired', later)).toBe(true);
      });
    });

    it('removes import reports last written and audit events that happened before the cutoff', async () => {
      const oldReport = importReportRecord({
        id: 'imp_old',
        status: 'finished',
        updatedAt: before,
        finishedAt: before,
      });
      const recentReport = importReportRecord({ id: 'imp_new', updatedAt: cutoff });
      const oldEvents = [1, 2, 3].map((index) => auditRecord('org_a', { id: `evt_old${index}`, at: before }));
      const recentEvent = auditRecord('org_a', { id: 'evt_new', at: cutoff });
      const systemEvent = auditRecord('org_a', { id: 'evt_sys', at: before, organizationId: null });
      await write(async (tx) => {
        await tx.imports.insert(oldReport);
        await tx.imports.insert(recentReport);
        await tx.audit.insert([...oldEvents, recentEvent, systemEvent]);
      });
      expect(await purge('importReports')).toBe(1);
      expect(await purge('auditEvents', 2)).toBe(2);
      expect(await purge('auditEvents', 2)).toBe(2);
      expect(await purge('auditEvents', 2)).toBe(0);
      await storage.transaction(async (tx) => {
        expect(await tx.imports.get(oldReport.id)).toBeNull();
        expect(await tx.imports.get(recentReport.id)).toEqual(recentReport);
        expect(await tx.audit.list({ organizationId: 'org_a', limit: 10 })).toEqual([recentEvent]);
      });
    });

    it('rolls a purge back with its transaction', async () => {
      const ended = sessionRecord({ digest: digest(1), absoluteExpiresAt: before });
      const event = auditRecord('org_a', { at: before });
      await write(async (tx) => {
        await tx.sessions.insert(ended);
        await tx.audit.insert([event]);
      });
      const failure = new Error('rolled back');
      await expect(
        storage.transaction(async (tx) => {
          expect(await tx.retention.purge('sessions', cutoff, 10)).toBe(1);
          expect(await tx.retention.purge('auditEvents', cutoff, 10)).toBe(1);
          throw failure;
        }),
      ).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.sessions.get(ended.digest)).toEqual(ended);
        expect(await tx.audit.list({ organizationId: 'org_a', limit: 10 })).toEqual([event]);
      });
    });
  });
}
