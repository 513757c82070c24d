import { describe, expect, it, vi } from 'vitest';
import { type PasswordHasher, scryptHasher, TenantryError } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';
const MINUTE = 60_000;

/** A cheap hasher that counts how often a password was really checked. */
function countingHasher() {
  const inner = scryptHasher({ logN: 10, r: 8, p: 1 });
  const counts = { verify: 0 };
  const hasher: PasswordHasher = {
    ...inner,
    verify: (hash, secret) => {
      counts.verify++;
      return inner.verify(hash, secret);
    },
  };
  return { hasher, counts };
}

async function member(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const { hasher, counts } = countingHasher();
  const t = await makeTenantry(makeStorage, { passwordHasher: hasher, ...options });
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user } = await ann.users.add({ organizationId: created.organization.id, ...person('Bob', 'Member') });
  const tokenOf = (link: string | undefined) => new URL(link as string).searchParams.get('token') as string;
  await t.um.auth.acceptInvitation({ token: tokenOf(t.mailer.outbox.at(-1)?.link), password });
  return { ...t, ...created, ann, user, counts };
}

/** The refusal's error, which must be `RATE_LIMITED`. */
async function rateLimited(promise: Promise<unknown>): Promise<TenantryError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TenantryError) || error.code !== 'RATE_LIMITED') {
    throw new Error(`expected RATE_LIMITED, got ${String(error)}`);
  }
  return error;
}

export function describeThrottling(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: allowances of the public flows`, () => {
    it('turns a client away after its failed sign-ins, before any password is checked, whatever the address', async () => {
      const { um, user, counts, clock } = await member(makeStorage, {
        policy: { rateLimits: { signInFailuresPerClient: { limit: 5, windowMs: 5 * MINUTE } } },
      });
      const ip = '203.0.113.7';
      for (let attempt = 0; attempt < 5; attempt++) {
        const email = `nobody.${attempt}@example.test`;
        expect(await codeOf(um.auth.signIn({ email, password: 'wrong but long password', ip }))).toBe(
          'INVALID_CREDENTIALS',
        );
      }
      const checked = counts.verify;
      const refusal = await rateLimited(um.auth.signIn({ email: user.email, password, ip }));
      expect(refusal.details.retryAfterMs).toBe(MINUTE);
      expect(counts.verify).toBe(checked);
      // Another client is not held back, and the first one is let in again once its allowance recovers.
      expect((await um.auth.signIn({ email: user.email, password, ip: '198.51.100.2' })).kind).toBe('session');
      clock.advance(MINUTE);
      expect((await um.auth.signIn({ email: user.email, password, ip })).kind).toBe('session');
    });

    it('turns away failures for one account from any client, the same for addresses that have none', async () => {
      const { um, user, counts } = await member(makeStorage, {
        policy: {
          lockout: { maxAttempts: 100, durationMs: null },
          rateLimits: { signInFailuresPerAccount: { limit: 3, windowMs: 15 * MINUTE } },
        },
      });
      for (const email of [user.email, 'nobody@example.test']) {
        for (let attempt = 0; attempt < 3; attempt++) {
          const ip = `192.0.2.${attempt}`;
          await codeOf(um.auth.signIn({ email: email.toUpperCase(), password: 'wrong but long password', ip }));
        }
        const checked = counts.verify;
        await rateLimited(um.auth.signIn({ email, password, ip: '192.0.2.99' }));
        expect(counts.verify).toBe(checked);
      }
    });

    it('never spends an allowance on a right password', async () => {
      const { um, user } = await member(makeStorage, {
        policy: { rateLimits: { signInFailuresPerClient: { limit: 2, windowMs: MINUTE } } },
      });
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await um.auth.signIn({ email: user.email, password, ip: '203.0.113.9' })).kind).toBe('session');
      }
    });

    it('limits forgotten-password requests per client with a Retry-After', async () => {
      const { um, user, mailer } = await member(makeStorage, {
        policy: { rateLimits: { resetRequestsPerClient: { limit: 2, windowMs: 10 * MINUTE } } },
      });
      const ip = '203.0.113.50';
      await um.auth.requestPasswordReset({ email: 'nobody@example.test', ip });
      await um.auth.requestPasswordReset({ email: user.email, ip });
      const before = mailer.outbox.length;
      expect((await rateLimited(um.auth.requestPasswordReset({ email: user.email, ip }))).details.retryAfterMs).toBe(
        5 * MINUTE,
      );
      expect(mailer.outbox.length).toBe(before);
    });

    it('limits a client trying invalid invitation links', async () => {
      const { um } = await member(makeStorage, {
        policy: { rateLimits: { invalidLinksPerClient: { limit: 3, windowMs: MINUTE } } },
      });
      const ip = '203.0.113.80';
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(await codeOf(um.auth.inspectInvitation(`forged${attempt}`.padEnd(40, 'a'), { ip }))).toBe(
          'TOKEN_INVALID',
        );
      }
      await rateLimited(um.auth.inspectInvitation('a'.repeat(40), { ip }));
    });

    it('lets the policy turn the allowances off', async () => {
      const { um } = await member(makeStorage, {
        policy: { rateLimits: { enabled: false, signInFailuresPerClient: { limit: 1, windowMs: MINUTE } } },
      });
      for (let attempt = 0; attempt < 4; attempt++) {
        const answer = um.auth.signIn({
          email: 'x@example.test',
          password: 'wrong but long password',
          ip: '192.0.2.1',
        });
        expect(await codeOf(answer)).toBe('INVALID_CREDENTIALS');
      }
    });
  });

  describe(`${name}: a bounded audit trail of what outsiders cause`, () => {
    it('writes failed sign-ins for one account up to the cap, then says how many were dropped', async () => {
      const { um, user, operator, organization, clock } = await member(makeStorage, {
        policy: {
          lockout: { maxAttempts: 100, durationMs: null },
          rateLimits: {
            signInFailuresPerAccount: { limit: 100, windowMs: MINUTE },
            auditEventsPerAccount: { limit: 3, windowMs: 60 * MINUTE },
          },
        },
      });
      for (let attempt = 0; attempt < 10; attempt++) {
        await codeOf(um.auth.signIn({ email: user.email, password: 'wrong but long password' }));
      }
      const failed = async () =>
        (await operator.audit.list({ organizationId: organization.id, action: 'signin.failed' })).items;
      expect(await failed()).toHaveLength(3);
      expect((await operator.users.get(user.id)).failedSignIns).toBe(10);
      clock.advance(20 * MINUTE);
      await codeOf(um.auth.signIn({ email: user.email, password: 'wrong but long password' }));
      const [latest] = await failed();
      expect(latest?.metadata).toMatchObject({ reason: 'wrong-password', failures: 11, suppressed: 7 });
    });
  });

  describe(`${name}: hashing in flight is bounded`, () => {
    it('refuses sign-ins at once past the hashes that may wait, and serves the rest', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const inner = scryptHasher({ logN: 10, r: 8, p: 1 });
      const { um, user } = await member(makeStorage, {
        policy: { hashing: { concurrency: 1, maxWaiting: 2 } },
        passwordHasher: {
          ...inner,
          verify: async (hash, secret) => {
            await gate;
            return inner.verify(hash, secret);
          },
        },
      });
      const attempts = Array.from({ length: 5 }, () => um.auth.signIn({ email: user.email, password }));
      let refusedEarly = 0;
      for (const attempt of attempts) {
        attempt.catch((error: unknown) => {
          if (error instanceof TenantryError && error.code === 'RATE_LIMITED') refusedEarly++;
        });
      }
      // Two of the five cannot even wait: they are refused while the first is still being checked. Each reads the
      // account first, so on a busy database server the refusals come after some milliseconds, not event-loop turns.
      await vi.waitFor(() => expect(refusedEarly).toBe(2), { timeout: 20_000, interval: 5 });
      release();
      const outcomes = await Promise.allSettled(attempts);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    });
  });
}
