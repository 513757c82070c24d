import { randomBytes } from 'node:crypto';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../adapters/memory/index.js';
import type { SignInResult } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person, sessionOf } from '../support/tenantry.js';

export const password = 'a long passphrase nobody guesses';
const encryptionKeys = [{ id: 'k1', key: new Uint8Array(32).fill(7) }];

/** RFC 6238's SHA-1 seed, and its Appendix B rows (time in seconds, code taken to 6 digits). */
const rfcSeed = new TextEncoder().encode('12345678901234567890');
const rfcRows: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

/** The code an authenticator app shows for a base32 secret at a moment. */
export function codeAt(secret: string, at: Date, stepOffset = 0): string {
  const step = Math.floor(at.getTime() / 30_000) + stepOffset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

/** An installation with encryption keys, Acme with an activated admin (Ann) and member (Bob). */
export async function withMembers(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, { encryptionKeys, ...options });
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user: bob } = await ann.users.add({
    organizationId: created.organization.id,
    ...person('Bob', 'Member'),
    roles: ['basic'],
  });
  const activate = async (userId: string) => {
    const { link } = await t.operator.invitations.createLink(userId);
    const token = new URL(link).searchParams.get('token') ?? '';
    return sessionOf(await t.um.auth.acceptInvitation({ token, password }));
  };
  const annSession = await activate(created.firstUser.id);
  const bobSession = await activate(bob.id);
  const signIn = (email: string) => t.um.auth.signIn({ email, password });
  /** Enrolls and confirms TOTP for the holder of a session; the secret and the recovery codes. */
  const enroll = async (sessionToken: string) => {
    const enrollment = await t.um.auth.enrollTotp({ sessionToken });
    const confirmed = await t.um.auth.confirmTotp({
      sessionToken,
      enrollmentId: enrollment.enrollmentId,
      code: codeAt(enrollment.secret, t.clock.now()),
    });
    return { ...enrollment, ...confirmed };
  };
  return { ...t, ...created, admin: created.firstUser, ann, bob, annSession, bobSession, signIn, enroll };
}

/** The challenge a sign-in answered (of the kind expected, when one is named). */
export function challengeOf(result: SignInResult, kind?: SignInResult['kind']): string {
  if ((kind !== undefined && result.kind !== kind) || !('challengeToken' in result)) {
    throw new Error(`expected ${kind ?? 'a challenge'}, got ${result.kind}`);
  }
  return result.challengeToken;
}

export function describeSecondFactors(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: second factors`, () => {
    it('matches RFC 6238’s test vectors through enrollment and sign-in, on the test clock', async () => {
      const clock = testClock(new Date(59_000));
      const rfcBytes = (length: number) => (length === 20 ? rfcSeed.slice() : new Uint8Array(randomBytes(length)));
      const t = await withMembers(makeStorage, { clock, randomBytes: rfcBytes });
      const enrollment = await t.um.auth.enrollTotp({ sessionToken: t.bobSession.token });
      expect(enrollment.secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
      expect(enrollment.uri).toMatch(/^otpauth:\/\/totp\/tenantry:bob\.member\.\d+%40example\.test\?/u);
      const [[, first]] = rfcRows as [[number, string]];
      const confirmed = await t.um.auth.confirmTotp({
        sessionToken: t.bobSession.token,
        enrollmentId: enrollment.enrollmentId,
        code: first,
      });
      expect(confirmed.recoveryCodes).toHaveLength(10);
      for (const [seconds, code] of rfcRows.slice(1)) {
        clock.set(seconds * 1000);
        const challengeToken = challengeOf(await t.signIn(t.bob.email), 'second-factor-required');
        const signedIn = await t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code });
        expect(signedIn).toMatchObject({ kind: 'session', session: { authenticationMethods: ['password', 'totp'] } });
      }
    });

    it('asks the second factor after the password, takes a step either side, and never a code twice', async () => {
      const t = await withMembers(makeStorage);
      const { secret } = await t.enroll(t.bobSession.token);
      // Two steps after the enrollment's code, so that the step before now was never used.
      t.clock.advance(60_000);
      const started = await t.signIn(t.bob.email);
      expect(started).toMatchObject({ kind: 'second-factor-required', methods: ['totp', 'recovery-code'] });
      const challengeToken = challengeOf(started, 'second-factor-required');
      // The code of the step before and after count; two steps off does not (and costs a failure).
      expect(
        await codeOf(
          t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: codeAt(secret, t.clock.now(), 2) }),
        ),
      ).toBe('INVALID_CREDENTIALS');
      const late = codeAt(secret, t.clock.now(), -1);
      await t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: late });
      // The challenge was used; the same code on a new sign-in is a replay.
      expect(await codeOf(t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: late }))).toBe(
        'TOKEN_INVALID',
      );
      const again = challengeOf(await t.signIn(t.bob.email), 'second-factor-required');
      expect(await codeOf(t.um.auth.verifySecondFactor({ challengeToken: again, method: 'totp', code: late }))).toBe(
        'INVALID_CREDENTIALS',
      );
      const ahead = codeAt(secret, t.clock.now(), 1);
      expect(await t.um.auth.verifySecondFactor({ challengeToken: again, method: 'totp', code: ahead })).toMatchObject({
        kind: 'session',
      });
      // An earlier step than the last one used is refused too, though its code never was.
      const third = challengeOf(await t.signIn(t.bob.email), 'second-factor-required');
      expect(
        await codeOf(
          t.um.auth.verifySecondFactor({ challengeToken: third, method: 'totp', code: codeAt(secret, t.clock.now()) }),
        ),
      ).toBe('INVALID_CREDENTIALS');
    });

    it('lets one of two racing sign-ins with the same code win', async () => {
      const t = await withMembers(makeStorage);
      const { secret } = await t.enroll(t.bobSession.token);
      t.clock.advance(30_000);
      const challenges = [
        challengeOf(await t.signIn(t.bob.email), 'second-factor-required'),
        challengeOf(await t.signIn(t.bob.email), 'second-factor-required'),
      ];
      const code = codeAt(secret, t.clock.now());
      const outcomes = await Promise.allSettled(
        challenges.map((challengeToken) => t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    });

    it('counts wrong codes toward the lockout, after which a right code opens nothing', async () => {
      const t = await withMembers(makeStorage, { policy: { lockout: { maxAttempts: 3 } } });
      const { secret } = await t.enroll(t.bobSession.token);
      // Signing in again with the right password does not clear the count of wrong codes.
      for (let attempt = 0; attempt < 3; attempt++) {
        const challengeToken = challengeOf(await t.signIn(t.bob.email), 'second-factor-required');
        expect(await codeOf(t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: '000000' }))).toBe(
          'INVALID_CREDENTIALS',
        );
        if (attempt < 2) continue;
        t.clock.advance(30_000);
        const code = codeAt(secret, t.clock.now());
        expect(await codeOf(t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code }))).toBe(
          'INVALID_CREDENTIALS',
        );
      }
      expect(await codeOf(t.signIn(t.bob.email))).toBe('INVALID_CREDENTIALS');
      expect(t.mailer.outbox.some((mail) => mail.kind === 'account-locked' && mail.to === t.bob.email)).toBe(true);
      const trail = await t.operator.audit.list({ organizationId: t.organization.id, action: 'signin.failed' });
      expect(trail.items.filter((event) => event.metadata.reason === 'wrong-code')).toHaveLength(3);
    });

    it('takes each recovery code once, mails its use, and stops old codes when new ones are made', async () => {
      const t = await withMembers(makeStorage);
      const { recoveryCodes } = await t.enroll(t.bobSession.token);
      const [first, second, third] = recoveryCodes as [string, string, string];
      const use = async (code: string) => {
        const challengeToken = challengeOf(await t.signIn(t.bob.email), 'second-factor-required');
        return t.um.auth.verifySecondFactor({ challengeToken, method: 'recovery-code', code });
      };
      expect(await use(first.toUpperCase().replaceAll('-', ' '))).toMatchObject({
        kind: 'session',
        session: { authenticationMethods: ['password', 'recovery-code'] },
      });
      expect(await codeOf(use(first))).toBe('INVALID_CREDENTIALS');
      await t.um.outbox.idle();
      expect(t.mailer.outbox.filter((mail) => mail.kind === 'recovery-code-used')).toHaveLength(1);
      // Two sign-ins racing with one code: one wins.
      const challenges = [
        challengeOf(await t.signIn(t.bob.email), 'second-factor-required'),
        challengeOf(await t.signIn(t.bob.email), 'second-factor-required'),
      ];
      const outcomes = await Promise.allSettled(
        challenges.map((challengeToken) =>
          t.um.auth.verifySecondFactor({ challengeToken, method: 'recovery-code', code: second }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const { recoveryCodes: fresh } = await t.um.auth.regenerateRecoveryCodes(t.bobSession.token);
      expect(fresh).toHaveLength(10);
      expect(await codeOf(use(third))).toBe('INVALID_CREDENTIALS');
      expect(await use(fresh[0] as string)).toMatchObject({ kind: 'session' });
    });
  });
}
