import type { Storage } from '../adapter-kit/index.js';
import { at, webauthnChallengeRecord } from './records.js';
import type { MakeStorage } from './storage-contract.js';
import type { VitestApi } from './vitest-api.js';

/** A recovery code's digest: 64 hex digits from one character. */
const code = (character: string) => character.repeat(64);

/**
 * What recovery codes and WebAuthn challenges need of storage: codes
 * replaced whole and redeemed once however many transactions race for one,
 * challenges read back exactly and consumed once, never after they expired.
 */
export function describeRecoveryContract(vitest: VitestApi, name: string, makeStorage: MakeStorage): void {
  const { beforeEach, describe, expect, it } = vitest;
  describe(`${name} storage: recovery codes and WebAuthn challenges`, () => {
    let storage: Storage;

    beforeEach(async () => {
      storage = await makeStorage();
    });

    it('replaces a user’s recovery codes whole, and redeems each of the user’s once', async () => {
      const codes: Storage['transaction'] = (work) => storage.transaction(work);
      await codes(async (tx) => {
        await tx.recoveryCodes.replace('usr_a', [code('1'), code('2'), code('3')], at(0));
        // Another user may hold the same digest; it is theirs alone.
        await tx.recoveryCodes.replace('usr_b', [code('1')], at(0));
      });
      const use = (userId: string, digest: string) => codes((tx) => tx.recoveryCodes.use(userId, digest, at(5)));
      const unused = (userId: string) => codes((tx) => tx.recoveryCodes.countUnused(userId));
      expect(await unused('usr_a')).toBe(3);
      expect(await use('usr_a', code('1'))).toBe(true);
      expect(await use('usr_a', code('1'))).toBe(false);
      expect(await use('usr_b', code('2'))).toBe(false);
      expect(await use('usr_a', code('9'))).toBe(false);
      expect([await unused('usr_a'), await unused('usr_b')]).toEqual([2, 1]);

      // A new set: the old codes, used or not, stop working.
      await codes((tx) => tx.recoveryCodes.replace('usr_a', [code('4'), code('5')], at(10)));
      expect(await unused('usr_a')).toBe(2);
      expect(await use('usr_a', code('2'))).toBe(false);
      expect(await use('usr_a', code('4'))).toBe(true);
      expect(await unused('usr_a')).toBe(1);

      await codes((tx) => tx.recoveryCodes.removeForUser('usr_a'));
      expect(await unused('usr_a')).toBe(0);
      expect(await use('usr_a', code('5'))).toBe(false);
      expect(await use('usr_b', code('1'))).toBe(true);
      await codes((tx) => tx.recoveryCodes.replace('usr_b', [], at(20)));
      expect(await unused('usr_b')).toBe(0);
      expect(await unused('usr_nobody')).toBe(0);
    });

    it('redeems a recovery code once, even when it is redeemed concurrently', async () => {
      await storage.transaction((tx) => tx.recoveryCodes.replace('usr_a', [code('1'), code('2'), code('3')], at(0)));
      const redemptions = await Promise.all(
        Array.from({ length: 10 }, () => storage.transaction((tx) => tx.recoveryCodes.use('usr_a', code('2'), at(5)))),
      );
      expect(redemptions.filter(Boolean)).toHaveLength(1);
      expect(await storage.transaction((tx) => tx.recoveryCodes.countUnused('usr_a'))).toBe(2);
    });

    it('reads WebAuthn challenges back exactly and consumes each once, never once it expired', async () => {
      const registration = webauthnChallengeRecord();
      // A sign-in with a discoverable passkey: nobody yet.
      const signIn = webauthnChallengeRecord({ digest: 'd'.repeat(64), ceremony: 'authentication', userId: null });
      const expiring = webauthnChallengeRecord({ digest: 'e'.repeat(64), expiresAt: at(60_000) });
      await storage.transaction(async (tx) => {
        for (const challenge of [registration, signIn, expiring]) await tx.webauthnChallenges.insert(challenge);
      });
      const consume = (digest: string, when: Date) =>
        storage.transaction((tx) => tx.webauthnChallenges.consume(digest, when));
      const get = (digest: string) => storage.transaction((tx) => tx.webauthnChallenges.get(digest));
      expect(await get(registration.digest)).toEqual(registration);
      expect(await get(signIn.digest)).toEqual(signIn);
      expect(await get('0'.repeat(64))).toBeNull();

      expect(await consume(registration.digest, at(1))).toBe(true);
      expect(await consume(registration.digest, at(2))).toBe(false);
      expect(await get(registration.digest)).toEqual({ ...registration, consumedAt: at(1) });
      // At the moment it expires it is closed; just before, it was still open.
      expect(await consume(expiring.digest, at(60_000))).toBe(false);
      expect(await get(expiring.digest)).toEqual(expiring);
      expect(await consume(expiring.digest, at(59_999))).toBe(true);
      expect(await consume('0'.repeat(64), at(1))).toBe(false);

      const answers = await Promise.all(Array.from({ length: 10 }, () => consume(signIn.digest, at(3))));
      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await get(signIn.digest)).toEqual({ ...signIn, consumedAt: at(3) });
    });
  });
}
