/**
 * Second factors: what a TOTP code costs at sign-in on the memory adapter, with a hasher that does no work so
 * that the password's hash (tens of milliseconds, the same with or without a second factor) hides nothing.
 * `verifySecondFactor` is timed on its own, each call's sign-in to its challenge made before it, untimed; the TOTP
 * check inside it (the sealed secret opened, the code of the current step computed) is timed apart.
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { measure } from 'mitata';
import { type SignInResult, UserManagement } from '../dist/index.js';
import { memoryMailer, memoryStorage, testClock } from '../dist/memory.js';
// Internals the package does not export, from the sources it is built from, to time the TOTP check alone.
import { totpSealContext } from '../src/flows/second-factors.js';
import { SecretBox } from '../src/secrets/secret-box.js';
import { matchingStep, TOTP_SECRET_BYTES } from '../src/secrets/totp.js';
import { noHashing, password, permissions, roles } from './fixtures.js';
import { type Budget, bestRound, type Measurement, time } from './harness.js';

const STEP_MS = 30_000;
/**
 * Accounts signed in in turn, each in a company of its own. The memory adapter keeps every session and challenge
 * of a user and of a company in a list it copies to add one, so one account signing in the thousands of times a
 * measurement takes would time those lists growing (tens of microseconds by the end), not the sign-in.
 */
const ACCOUNTS = 64;

/** An installation on a test clock with companies of two activated users: one with an authenticator app, one without. */
async function installation(rateLimits: boolean) {
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
    policy: {
      lockout: { maxAttempts: 100 },
      rateLimits: { enabled: rateLimits },
      session: { idleTimeoutMs: 3_600_000 },
    },
  });
  const operator = um.as({ type: 'operator' });
  const activate = async (userId: string) => {
    const { link } = await operator.invitations.createLink(userId);
    const accepted = await um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') ?? '', password });
    if (accepted.kind !== 'session') throw new Error(`expected a session, got ${accepted.kind}`);
    return accepted;
  };
  const withFactor: { email: string; codeNow: () => string }[] = [];
  const without: string[] = [];
  let sessionToken = '';
  for (let index = 0; index < ACCOUNTS; index++) {
    const { organization, firstUser } = await operator.organizations.create({
      name: `Bench ${index}`,
      firstUser: { email: `ann${index}@bench.example`, firstName: 'Ann', lastName: 'Admin', invite: false },
    });
    const { user: plain } = await um.as({ type: 'user', userId: firstUser.id }).users.add({
      organizationId: organization.id,
      email: `bob${index}@bench.example`,
      firstName: 'Bob',
      lastName: 'Plain',
      invite: false,
    });
    const { token } = await activate(firstUser.id);
    await activate(plain.id);
    const enrollment = await um.auth.enrollTotp({ sessionToken: token });
    const secret = decodeBase32IgnorePadding(enrollment.secret);
    const codeNow = () => generateHOTP(secret, BigInt(Math.floor(clock.now().getTime() / STEP_MS)), 6);
    await um.auth.confirmTotp({ sessionToken: token, enrollmentId: enrollment.enrollmentId, code: codeNow() });
    withFactor.push({ email: firstUser.email, codeNow });
    without.push(plain.email);
    sessionToken = token;
  }
  let turn = 0;
  /** The next account with an authenticator app, the clock a step on so that its code is one not used before. */
  const nextWithFactor = () => {
    clock.advance(STEP_MS);
    return withFactor[turn++ % ACCOUNTS] as (typeof withFactor)[number];
  };
  let plainTurn = 0;
  const nextWithout = () => without[plainTurn++ % ACCOUNTS] as string;
  return { um, nextWithFactor, nextWithout, sessionToken };
}

function challengeOf(result: SignInResult): string {
  if (result.kind !== 'second-factor-required') throw new Error(`expected a second factor, got ${result.kind}`);
  return result.challengeToken;
}

/**
 * Measures `work` as `time` does (warmed up, the lowest median of three rounds), on an input `prepare` makes
 * before each call, untimed. Never in batches: a batch would make many challenges before verifying any, while
 * the clock moves a step with each, and their codes would be stale by their turn.
 */
async function timePrepared<Input>(
  suite: string,
  name: string,
  prepare: () => Promise<Input>,
  work: (input: Input) => Promise<unknown>,
  budget: Budget,
): Promise<Measurement> {
  const cpuTime = 0.3 * 1e9 * (budget.quick ? 0.1 : 1);
  const warmUntil = performance.now() + cpuTime / 1e6 / 3;
  for (let runs = 0; runs < 50 || performance.now() < warmUntil; runs++) await work(await prepare());
  // mitata's computed parameters: `0` is made before each sample and handed to `bench`, outside the clock
  // (its types know only generators that yield a function).
  const generator = function* () {
    yield { 0: prepare, bench: work };
  } as unknown as () => Generator<() => unknown, void, undefined>;
  const rounds: Awaited<ReturnType<typeof measure>>[] = [];
  for (let round = 0; round < 3; round++) {
    rounds.push(await measure(generator, { min_cpu_time: cpuTime, min_samples: 20, batch_threshold: 0 }));
  }
  return bestRound(suite, name, rounds);
}

/** The TOTP check as `verifySecondFactor` makes it: the factor's sealed secret opened, the current step's code compared. */
function totpCheck(): () => number | null {
  const box = new SecretBox([{ id: 'bench', key: new Uint8Array(32).fill(1) }]);
  const secret = globalThis.crypto.getRandomValues(new Uint8Array(TOTP_SECRET_BYTES));
  const factorId = 'fac_bench';
  const sealed = box.seal(Buffer.from(secret).toString('base64'), totpSealContext(factorId)) as string;
  const at = new Date('2026-06-01T00:00:00Z');
  const code = generateHOTP(secret, BigInt(Math.floor(at.getTime() / STEP_MS)), 6);
  return () => {
    const opened = box.open(sealed, totpSealContext(factorId));
    if (opened === null) throw new Error('the sealed secret did not open');
    const step = matchingStep(Buffer.from(opened, 'base64'), code, at);
    if (step === null) throw new Error('the code did not match');
    return step;
  };
}

const µs = (ns: number) => `${(ns / 1e3).toFixed(1)} µs`;

export async function secondFactorBenchmarks(budget: Budget): Promise<Measurement[]> {
  const suite = 'second factors at sign-in (memory, no-op hasher)';
  const t = await installation(false);
  const lookup = await time(
    suite,
    'validateSession (the session lookup)',
    () => t.um.auth.validateSession(t.sessionToken),
    budget,
  );
  const totp = await time(
    suite,
    'the TOTP check alone, in a loop (the sealed secret opened, the current step’s code compared)',
    totpCheck(),
    budget,
  );
  const plain = await time(
    suite,
    'signIn without a second factor (to its session)',
    () => t.um.auth.signIn({ email: t.nextWithout(), password }),
    budget,
  );
  const challenged = await time(
    suite,
    'signIn with an authenticator app (to its challenge)',
    () => t.um.auth.signIn({ email: t.nextWithFactor().email, password }),
    budget,
  );
  const prepare = (um: UserManagement, next: typeof t.nextWithFactor) => async () => {
    const account = next();
    const challengeToken = challengeOf(await um.auth.signIn({ email: account.email, password }));
    return { challengeToken, code: account.codeNow() };
  };
  const verifyOn = (um: UserManagement) => (input: { challengeToken: string; code: string }) =>
    um.auth.verifySecondFactor({ ...input, method: 'totp' });
  const verify = await timePrepared(
    suite,
    'verifySecondFactor with a TOTP code (to its session)',
    prepare(t.um, t.nextWithFactor),
    verifyOn(t.um),
    budget,
  );
  const limited = await installation(true);
  const verifyLimited = await timePrepared(
    suite,
    'verifySecondFactor with a TOTP code, rate limits on (the account read first)',
    prepare(limited.um, limited.nextWithFactor),
    verifyOn(limited.um),
    budget,
  );
  const beyondPlain = verify.median - plain.median;
  const withFactor = challenged.median + verify.median;
  // In a loop of its own the check runs with warm caches: inside the call the same work costs more.
  totp.note = `${((totp.median / verify.median) * 100).toFixed(0)} % of verifySecondFactor's time`;
  verify.note =
    `${µs(verify.median - lookup.median)} beyond a session lookup (what the target holds); ` +
    `${µs(Math.abs(beyondPlain))} ${beyondPlain < 0 ? 'less' : 'more'} than a sign-in without a second factor, ` +
    `which also ends in a session; with the sign-in to its challenge ${µs(withFactor)}, ` +
    `${µs(withFactor - plain.median)} more than a sign-in without a second factor`;
  verifyLimited.note = `${µs(verifyLimited.median - verify.median)} more than with rate limits off`;
  return [lookup, totp, plain, challenged, verify, verifyLimited];
}
