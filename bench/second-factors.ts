/**
 * Second factors: what a TOTP code costs at sign-in on the memory adapter, with a hasher that does no work so
 * that the password's hash (tens of milliseconds, the same with or without a second factor) hides nothing.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { type SignInResult, UserManagement } from '../dist/index.js';
import { memoryMailer, memoryStorage, testClock } from '../dist/memory.js';
import { noHashing, password, permissions, roles } from './fixtures.js';
import { type Budget, type Measurement, time } from './harness.js';

const STEP_MS = 30_000;

/** An installation on a test clock with two activated users: one with an authenticator app, one without. */
async function installation() {
  const clock = testClock('2026-06-01T00:00:00Z');
  const um = new UserManagement({
    storage: memoryStorage(),
    mailer: memoryMailer(),
    clock,
    permissions,
    roles,
    passwordHasher: noHashing,
    encryptionKeys: [{ id: 'bench', key: new Uint8Array(32).fill(1) }],
    links: { baseUrl: 'https://portal.example.test/' },
    policy: { lockout: { maxAttempts: 100 }, rateLimits: { enabled: false }, session: { idleTimeoutMs: 3_600_000 } },
  });
  const operator = um.as({ type: 'operator' });
  const { organization, firstUser } = await operator.organizations.create({
    name: 'Bench',
    firstUser: { email: 'ann@bench.example', firstName: 'Ann', lastName: 'Admin', invite: false },
  });
  const { user: plain } = await um.as({ type: 'user', userId: firstUser.id }).users.add({
    organizationId: organization.id,
    email: 'bob@bench.example',
    firstName: 'Bob',
    lastName: 'Plain',
    invite: false,
  });
  const activate = async (userId: string) => {
    const { link } = await operator.invitations.createLink(userId);
    const accepted = await um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password });
    if (accepted.kind !== 'session') throw new Error(`expected a session, got ${accepted.kind}`);
    return accepted;
  };
  const { token } = await activate(firstUser.id);
  await activate(plain.id);
  const enrollment = await um.auth.enrollTotp({ sessionToken: token });
  const secret = decodeBase32IgnorePadding(enrollment.secret);
  const codeNow = () => generateHOTP(secret, BigInt(Math.floor(clock.now().getTime() / STEP_MS)), 6);
  await um.auth.confirmTotp({ sessionToken: token, enrollmentId: enrollment.enrollmentId, code: codeNow() });
  return { um, clock, codeNow, withFactor: firstUser.email, without: plain.email, sessionToken: token };
}

function challengeOf(result: SignInResult): string {
  if (result.kind !== 'second-factor-required') throw new Error(`expected a second factor, got ${result.kind}`);
  return result.challengeToken;
}

export async function secondFactorBenchmarks(budget: Budget): Promise<Measurement[]> {
  const suite = 'second factors at sign-in (memory, no-op hasher)';
  const t = await installation();
  const lookup = await time(
    suite,
    'validateSession (the session lookup)',
    () => t.um.auth.validateSession(t.sessionToken),
    budget,
  );
  const plain = await time(
    suite,
    'signIn without a second factor (to its session)',
    () => t.um.auth.signIn({ email: t.without, password }),
    budget,
  );
  const challenged = await time(
    suite,
    'signIn with an authenticator app (to its challenge)',
    () => t.um.auth.signIn({ email: t.withFactor, password }),
    budget,
  );
  // Each sign-in uses the next step's code: a code is accepted once, so the clock moves 30 s per round.
  const whole = await time(
    suite,
    'signIn, then verifySecondFactor with a TOTP code (to its session)',
    async () => {
      t.clock.advance(STEP_MS);
      const challengeToken = challengeOf(await t.um.auth.signIn({ email: t.withFactor, password }));
      return t.um.auth.verifySecondFactor({ challengeToken, method: 'totp', code: t.codeNow() });
    },
    budget,
  );
  const verify = whole.median - challenged.median;
  whole.note =
    `verifySecondFactor ${(verify / 1e3).toFixed(1)} µs (this row less the challenge's row), ` +
    `${((verify - lookup.median) / 1e3).toFixed(1)} µs beyond a session lookup; ` +
    `the second factor adds ${((whole.median - plain.median) / 1e3).toFixed(1)} µs to a sign-in`;
  return [lookup, plain, challenged, whole];
}
