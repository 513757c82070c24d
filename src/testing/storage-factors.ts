import type { Storage, StoredFactor } from '../adapter-kit/index.js';
import { at, factorRecord, passkeyRecord, webauthnChallengeRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

/** A recovery code's digest: 64 hex digits from one character. */
const code = (character: string) => character.repeat(64);

/** Beyond a 32-bit integer: a TOTP step in milliseconds would be, and an authenticator's counter may reach it. */
const large = 3_000_000_000;

/**
 * What second factors need of storage: factors read back exactly and found
 * by user and credential id, confirmed once, TOTP steps and passkey counters
 * spent once however many transactions race for them, recovery codes
 * replaced whole and redeemed once, WebAuthn challenges consumed once and
 * never after they expired, and all of it rolled back with its transaction.
 */
export function describeFactorContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: second factors`, () => {
    let storage: Storage;
    const insert = (...factors: StoredFactor[]) =>
      storage.transaction(async (tx) => {
        for (const factor of factors) await tx.factors.insert(factor);
      });
    const read = (id: string) => storage.transaction((tx) => tx.factors.get(id));

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('reads factors back exactly, by id, by user oldest first, and a passkey by its credential id', async () => {
      const totp = factorRecord({ createdAt: at(20), lastStep: 59_000_123, lastUsedAt: at(25) });
      const passkey = passkeyRecord({ createdAt: at(10), counter: large, lastUsedAt: at(15), label: 'Clé 🔑 ｚ' });
      const pending = factorRecord({ createdAt: at(30), confirmedAt: null, label: '' });
      // Created at the same moment as the TOTP factor: ids break the tie, in code-point order.
      const twin = factorRecord({ id: `${totp.id}_`, createdAt: at(20), type: 'passkey', credentialId: 'twin' });
      const others = factorRecord({ userId: 'usr_b', organizationId: 'org_b' });
      await insert(pending, twin, totp, others, passkey);
      await storage.transaction(async (tx) => {
        for (const factor of [totp, passkey, pending, twin, others])
          expect(await tx.factors.get(factor.id)).toEqual(factor);
        expect(await tx.factors.get('fac_missing')).toBeNull();
        expect(await tx.factors.forUser('usr_a')).toEqual([passkey, totp, twin, pending]);
        expect(await tx.factors.forUser('usr_b')).toEqual([others]);
        expect(await tx.factors.forUser('usr_nobody')).toEqual([]);
        expect(await tx.factors.byCredentialId(passkey.credentialId as string)).toEqual(passkey);
        expect(await tx.factors.byCredentialId('twin')).toEqual(twin);
        expect(await tx.factors.byCredentialId('unknown')).toBeNull();
      });
      // What it returns is a copy: changing it changes nothing stored.
      const copy = await read(passkey.id);
      copy?.transports.push('internal');
      copy?.createdAt.setTime(0);
      expect(await read(passkey.id)).toEqual(passkey);
    });

    it('refuses a passkey whose credential id is registered already, to anyone, with CONFLICT', async () => {
      const first = passkeyRecord();
      await insert(first);
      const again = passkeyRecord({ userId: 'usr_b', credentialId: first.credentialId });
      await expect(insert(again)).rejects.toMatchObject({ name: 'TenantryError', code: 'CONFLICT' });
      expect(await read(again.id)).toBeNull();
      expect(await storage.transaction((tx) => tx.factors.byCredentialId(first.credentialId as string))).toEqual(first);
      // Any number of TOTP factors have no credential id.
      await insert(factorRecord(), factorRecord());
      expect(await storage.transaction((tx) => tx.factors.forUser('usr_a'))).toHaveLength(3);
      // Once removed, the authenticator may be registered again.
      expect(await storage.transaction((tx) => tx.factors.remove('usr_a', first.id))).toBe(true);
      await insert(again);
      expect(await storage.transaction((tx) => tx.factors.byCredentialId(first.credentialId as string))).toEqual(again);
    });

    it('registers one of several concurrent registrations of one authenticator, refusing the others with CONFLICT', async () => {
      const attempts = Array.from({ length: 6 }, (_, index) =>
        passkeyRecord({ userId: `usr_${index}`, credentialId: 'same-authenticator' }),
      );
      const outcomes = await Promise.allSettled(attempts.map((factor) => insert(factor)));
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected')
          expect(outcome.reason).toMatchObject({ name: 'TenantryError', code: 'CONFLICT' });
      }
      const winner = attempts[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
      expect(await storage.transaction((tx) => tx.factors.byCredentialId('same-authenticator'))).toEqual(winner);
    });

    it('confirms an enrollment once', async () => {
      const pending = factorRecord({ confirmedAt: null });
      await insert(pending);
      const confirm = (id: string, when: Date) => storage.transaction((tx) => tx.factors.confirm(id, when));
      expect(await confirm(pending.id, at(5))).toBe(true);
      expect(await confirm(pending.id, at(6))).toBe(false);
      expect(await confirm('fac_missing', at(6))).toBe(false);
      expect(await read(pending.id)).toEqual({ ...pending, confirmedAt: at(5) });
    });

    it('accepts only a TOTP step later than the last one used, recording when', async () => {
      const totp = factorRecord();
      await insert(totp);
      const use = (step: number, when: Date) => storage.transaction((tx) => tx.factors.useStep(totp.id, step, when));
      expect(await use(100, at(1))).toBe(true);
      expect(await read(totp.id)).toEqual({ ...totp, lastStep: 100, lastUsedAt: at(1) });
      expect(await use(100, at(2))).toBe(false);
      expect(await use(99, at(2))).toBe(false);
      expect(await use(101, at(3))).toBe(true);
      expect(await use(large, at(4))).toBe(true);
      expect(await use(large, at(5))).toBe(false);
      expect(await read(totp.id)).toEqual({ ...totp, lastStep: large, lastUsedAt: at(4) });
      expect(await storage.transaction((tx) => tx.factors.useStep('fac_missing', 1, at(6)))).toBe(false);
    });

    it('accepts one of many concurrent uses of the same TOTP step', async () => {
      const totp = factorRecord({ lastStep: 41 });
      await insert(totp);
      const uses = await Promise.all(
        Array.from({ length: 10 }, () => storage.transaction((tx) => tx.factors.useStep(totp.id, 42, at(7)))),
      );
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await read(totp.id)).toEqual({ ...totp, lastStep: 42, lastUsedAt: at(7) });
    });

    it('accepts a passkey counter only when greater than the stored one, or 0 again while it is 0', async () => {
      const passkey = passkeyRecord();
      await insert(passkey);
      const use = (counter: number, when: Date) =>
        storage.transaction((tx) => tx.factors.useCounter(passkey.id, counter, when));
      // An authenticator that keeps no counter answers 0 every time.
      expect(await use(0, at(1))).toBe(true);
      expect(await use(0, at(2))).toBe(true);
      expect(await read(passkey.id)).toEqual({ ...passkey, counter: 0, lastUsedAt: at(2) });
      expect(await use(5, at(3))).toBe(true);
      expect(await use(5, at(4))).toBe(false);
      expect(await use(4, at(4))).toBe(false);
      // Once it counted, 0 is a clone or a replay.
      expect(await use(0, at(4))).toBe(false);
      expect(await use(large, at(5))).toBe(true);
      expect(await read(passkey.id)).toEqual({ ...passkey, counter: large, lastUsedAt: at(5) });
      expect(await storage.transaction((tx) => tx.factors.useCounter('fac_missing', 9, at(6)))).toBe(false);
    });

    it('accepts one of many concurrent sign-ins with the same passkey counter', async () => {
      const passkey = passkeyRecord({ counter: 7 });
      await insert(passkey);
      const uses = await Promise.all(
        Array.from({ length: 10 }, () => storage.transaction((tx) => tx.factors.useCounter(passkey.id, 8, at(9)))),
      );
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await read(passkey.id)).toEqual({ ...passkey, counter: 8, lastUsedAt: at(9) });
    });

    it('removes a factor only for the user it belongs to', async () => {
      const mine = passkeyRecord();
      await insert(mine);
      const remove = (userId: string) => storage.transaction((tx) => tx.factors.remove(userId, mine.id));
      expect(await remove('usr_b')).toBe(false);
      expect(await read(mine.id)).toEqual(mine);
      expect(await remove('usr_a')).toBe(true);
      expect(await remove('usr_a')).toBe(false);
      await storage.transaction(async (tx) => {
        expect(await tx.factors.get(mine.id)).toBeNull();
        expect(await tx.factors.forUser('usr_a')).toEqual([]);
        expect(await tx.factors.byCredentialId(mine.credentialId as string)).toBeNull();
      });
    });

    it('removes every factor of a user, counting the confirmed ones, and nobody else’s', async () => {
      const others = passkeyRecord({ userId: 'usr_b' });
      const mine = [factorRecord(), passkeyRecord(), factorRecord({ confirmedAt: null })];
      await insert(...mine, others);
      expect(await storage.transaction((tx) => tx.factors.removeForUser('usr_a'))).toBe(2);
      expect(await storage.transaction((tx) => tx.factors.removeForUser('usr_a'))).toBe(0);
      await storage.transaction(async (tx) => {
        expect(await tx.factors.forUser('usr_a')).toEqual([]);
        for (const factor of mine) expect(await tx.factors.get(factor.id)).toBeNull();
        expect(await tx.factors.byCredentialId(mine[1]?.credentialId as string)).toBeNull();
        expect(await tx.factors.forUser('usr_b')).toEqual([others]);
      });
    });

    it('tells which of many users have a confirmed factor, in one call', async () => {
      const userIds = Array.from({ length: 30 }, (_, index) => `usr_${index}`);
      const confirmed = new Set<string>();
      await storage.transaction(async (tx) => {
        for (const [index, userId] of userIds.entries()) {
          // Some have a confirmed factor (one or two), some only an enrollment not confirmed, some nothing.
          if (index % 3 === 0) continue;
          if (index % 3 === 1) {
            await tx.factors.insert(factorRecord({ userId }));
            if (index % 2 === 0) await tx.factors.insert(passkeyRecord({ userId }));
            confirmed.add(userId);
          } else await tx.factors.insert(factorRecord({ userId, confirmedAt: null }));
        }
      });
      const asked = [...userIds, 'usr_nobody', 'usr_1', 'usr_1'];
      expect(await storage.transaction((tx) => tx.factors.confirmedUsers(asked))).toEqual(confirmed);
      expect(await storage.transaction((tx) => tx.factors.confirmedUsers(['usr_2', 'usr_3']))).toEqual(new Set());
      expect(await storage.transaction((tx) => tx.factors.confirmedUsers([]))).toEqual(new Set());
    });

    it('rolls back every second-factor write with the rest of a failed transaction', async () => {
      const pending = factorRecord({ confirmedAt: null, lastStep: 10 });
      const passkey = passkeyRecord({ counter: 5, createdAt: at(1) });
      const spare = factorRecord({ createdAt: at(2) });
      const open = webauthnChallengeRecord();
      await insert(pending, passkey, spare);
      await storage.transaction(async (tx) => {
        await tx.recoveryCodes.replace('usr_a', [code('1'), code('2')], at(0));
        await tx.webauthnChallenges.insert(open);
      });
      const failure = new Error('boom');
      const added = passkeyRecord({ credentialId: 'added' });
      await expect(
        storage.transaction(async (tx) => {
          await tx.factors.insert(added);
          await tx.factors.insert(factorRecord({ userId: 'usr_b' }));
          await tx.factors.confirm(pending.id, at(3));
          await tx.factors.useStep(pending.id, 11, at(3));
          await tx.factors.useCounter(passkey.id, 6, at(3));
          await tx.factors.remove('usr_a', spare.id);
          await tx.recoveryCodes.use('usr_a', code('1'), at(3));
          await tx.recoveryCodes.replace('usr_b', [code('3')], at(3));
          await tx.webauthnChallenges.consume(open.digest, at(3));
          await tx.webauthnChallenges.insert(webauthnChallengeRecord({ digest: 'f'.repeat(64) }));
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        storage.transaction(async (tx) => {
          expect(await tx.factors.removeForUser('usr_a')).toBe(2);
          await tx.recoveryCodes.removeForUser('usr_a');
          throw failure;
        }),
      ).rejects.toBe(failure);
      await storage.transaction(async (tx) => {
        expect(await tx.factors.forUser('usr_a')).toEqual([pending, passkey, spare]);
        expect(await tx.factors.forUser('usr_b')).toEqual([]);
        expect(await tx.factors.get(added.id)).toBeNull();
        expect(await tx.factors.byCredentialId('added')).toBeNull();
        expect(await tx.factors.byCredentialId(passkey.credentialId as string)).toEqual(passkey);
        expect(await tx.factors.confirmedUsers(['usr_a', 'usr_b'])).toEqual(new Set(['usr_a']));
        expect(await tx.recoveryCodes.countUnused('usr_a')).toBe(2);
        expect(await tx.recoveryCodes.countUnused('usr_b')).toBe(0);
        expect(await tx.webauthnChallenges.get(open.digest)).toEqual(open);
        expect(await tx.webauthnChallenges.get('f'.repeat(64))).toBeNull();
      });
      // And what was rolled back can be done now.
      await storage.transaction(async (tx) => {
        expect(await tx.factors.useStep(pending.id, 11, at(4))).toBe(true);
        expect(await tx.factors.useCounter(passkey.id, 6, at(4))).toBe(true);
        expect(await tx.recoveryCodes.use('usr_a', code('1'), at(4))).toBe(true);
        expect(await tx.webauthnChallenges.consume(open.digest, at(4))).toBe(true);
        await tx.factors.insert(added);
      });
    });
  });
}
