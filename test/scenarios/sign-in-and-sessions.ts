import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';
const HOUR = 3_600_000;

async function activated(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, options);
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user } = await ann.users.add({
    organizationId: created.organization.id,
    ...person('Bob', 'Member'),
    roles: ['basic'],
  });
  const token = new URL(t.mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
  await t.um.auth.acceptInvitation({ token, password });
  const signIn = async (email: string, secret: string) => {
    const result = await t.um.auth.signIn({ email, password: secret });
    if (result.kind !== 'session') throw new Error('expected a session');
    return result;
  };
  return { ...t, ...created, ann, user, signIn };
}

export function describeSignInAndSessions(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: sign-in, lockout and sessions`, () => {
    it('signs in with the address in any case and validates the session with the effective permissions', async () => {
      const { signIn, um, user } = await activated(makeStorage);
      const signedIn = await signIn(user.email.toUpperCase(), password);
      expect(signedIn).toMatchObject({ kind: 'session', user: { id: user.id, lastSignInAt: expect.any(Date) } });
      const validated = await um.auth.validateSession(signedIn.token);
      expect(validated).toMatchObject({ actor: { type: 'user', userId: user.id }, permissions: ['tickets.view'] });
      expect(validated.session).not.toHaveProperty('digest');
    });

    it('answers unknown addresses and wrong passwords identically', async () => {
      const { signIn, user } = await activated(makeStorage);
      const wrong = await signIn(user.email, 'not the password at all').catch((error: unknown) => error);
      const unknown = await signIn('nobody@example.test', password).catch((error: unknown) => error);
      const malformed = await signIn('not an address', password).catch((error: unknown) => error);
      for (const error of [wrong, unknown, malformed]) {
        expect(error).toMatchObject({
          code: 'INVALID_CREDENTIALS',
          message: 'The email address or password is incorrect',
        });
      }
    });

    it('tells pending, disabled and expired accounts why, but only after the right password', async () => {
      const { signIn, ann, organization, user, operator, clock } = await activated(makeStorage);
      const { user: pending } = await ann.users.add({ organizationId: organization.id, ...person('Pen', 'Ding') });
      expect(await codeOf(signIn(pending.email, password))).toBe('INVALID_CREDENTIALS');
      await ann.users.setExpiry(user.id, new Date(clock.now().getTime() + HOUR));
      clock.advance(2 * HOUR);
      expect(await codeOf(signIn(user.email, password))).toBe('ACCOUNT_EXPIRED');
      expect(await codeOf(signIn(user.email, 'wrong password, long enough'))).toBe('INVALID_CREDENTIALS');
      await operator.users.setExpiry(user.id, null);
      await ann.users.disable(user.id);
      expect(await codeOf(signIn(user.email, password))).toBe('ACCOUNT_DISABLED');
    });

    it('locks after five failures, refuses even the right password while locked, and mails the owner', async () => {
      const { signIn, user, mailer, ann, operator, organization } = await activated(makeStorage);
      for (let attempt = 0; attempt < 5; attempt++) {
        expect(await codeOf(signIn(user.email, `wrong password number ${attempt}`))).toBe('INVALID_CREDENTIALS');
      }
      expect(mailer.outbox.at(-1)).toMatchObject({ kind: 'account-locked', to: user.email });
      expect(await codeOf(signIn(user.email, password))).toBe('INVALID_CREDENTIALS');
      expect((await ann.users.get(user.id)).locked).toBe(true);
      expect(await codeOf(signIn(user.email, 'another wrong password'))).toBe('INVALID_CREDENTIALS');
      expect((await ann.users.get(user.id)).failedSignIns).toBe(5);
      await ann.users.unlock(user.id);
      expect((await signIn(user.email, password)).kind).toBe('session');
      const { items } = await operator.audit.list({ organizationId: organization.id, action: 'user.locked' });
      expect(items).toHaveLength(1);
    });

    it('resets the failure count on success, and shares one counter across address cases', async () => {
      const { signIn, user, ann } = await activated(makeStorage);
      for (let attempt = 0; attempt < 4; attempt++)
        await codeOf(signIn(user.email.toUpperCase(), 'wrong but long password'));
      await signIn(user.email, password);
      expect((await ann.users.get(user.id)).failedSignIns).toBe(0);
      for (let attempt = 0; attempt < 5; attempt++)
        await codeOf(signIn(attempt % 2 ? user.email.toUpperCase() : user.email, 'nope nope nope nope'));
      expect((await ann.users.get(user.id)).locked).toBe(true);
    });

    it('counts fifty parallel failures as fifty and engages the lock', async () => {
      const { signIn, user, ann } = await activated(makeStorage, {
        // The account's allowance of failures and the bound on hashes waiting would turn most of these away early.
        policy: {
          lockout: { maxAttempts: 100, durationMs: null },
          rateLimits: { signInFailuresPerAccount: { limit: 1000, windowMs: 60_000 } },
          hashing: { maxWaiting: 100 },
        },
      });
      await Promise.allSettled(Array.from({ length: 50 }, () => signIn(user.email, 'parallel wrong password')));
      expect((await ann.users.get(user.id)).failedSignIns).toBe(50);
      await Promise.allSettled(Array.from({ length: 50 }, () => signIn(user.email, 'parallel wrong password')));
      expect((await ann.users.get(user.id)).locked).toBe(true);
    });

    it('ends a timed lock by itself', async () => {
      const { signIn, user, clock } = await activated(makeStorage, {
        policy: { lockout: { maxAttempts: 3, durationMs: 15 * 60_000 } },
      });
      for (let attempt = 0; attempt < 3; attempt++) await codeOf(signIn(user.email, 'wrong but long password'));
      expect(await codeOf(signIn(user.email, password))).toBe('INVALID_CREDENTIALS');
      clock.advance(15 * 60_000);
      expect((await signIn(user.email, password)).kind).toBe('session');
    });

    it('renews the idle timeout on use, up to the absolute lifetime', async () => {
      const { signIn, um, user, clock } = await activated(makeStorage, {
        policy: { session: { idleTimeoutMs: 8 * HOUR, absoluteTimeoutMs: 20 * HOUR } },
      });
      const { token } = await signIn(user.email, password);
      clock.advance(7 * HOUR);
      await um.auth.validateSession(token);
      clock.advance(7 * HOUR);
      await um.auth.validateSession(token);
      clock.advance(7 * HOUR);
      expect(await codeOf(um.auth.validateSession(token))).toBe('SESSION_INVALID');
      const second = await signIn(user.email, password);
      clock.advance(8 * HOUR);
      expect(await codeOf(um.auth.validateSession(second.token))).toBe('SESSION_INVALID');
    });

    it('ends sessions on sign-out, disable, erase, loss of login and on an admin’s request', async () => {
      const { signIn, um, user, ann, operator, organization } = await activated(makeStorage);
      const first = await signIn(user.email, password);
      await um.auth.signOut(first.token);
      await um.auth.signOut(first.token);
      expect(await codeOf(um.auth.validateSession(first.token))).toBe('SESSION_INVALID');
      const [a, b] = [await signIn(user.email, password), await signIn(user.email, password)];
      // Two sign-ins plus the session that activation started.
      expect(await ann.users.invalidateSessions(user.id)).toEqual({ revoked: 3 });
      expect(await ann.users.invalidateSessions(user.id)).toEqual({ revoked: 0 });
      expect(await codeOf(um.auth.validateSession(a.token))).toBe('SESSION_INVALID');
      expect(await codeOf(um.auth.validateSession(b.token))).toBe('SESSION_INVALID');
      const c = await signIn(user.email, password);
      await ann.users.setAccess(user.id, { canSignIn: false });
      expect(await codeOf(um.auth.validateSession(c.token))).toBe('SESSION_INVALID');
      await ann.users.setAccess(user.id, { canSignIn: true });
      const d = await signIn(user.email, password);
      await ann.users.disable(user.id);
      await ann.users.enable(user.id);
      expect(await codeOf(um.auth.validateSession(d.token))).toBe('SESSION_INVALID');
      const e = await signIn(user.email, password);
      await operator.users.erase(user.id);
      expect(await codeOf(um.auth.validateSession(e.token))).toBe('SESSION_INVALID');
      const { items } = await operator.audit.list({ organizationId: organization.id, action: 'session.revoked' });
      expect(items.length).toBeGreaterThanOrEqual(3);
    });

    it('lists a user’s live sessions and ends one of them, for the user or an admin', async () => {
      const { um, user, ann, as, clock, organization, operator, firstUser } = await activated(makeStorage);
      const bob = as(user.id);
      // The session activation started ends first, so only the two below are live.
      await bob.users.invalidateSessions(user.id);
      clock.advance(60_000);
      const laptop = await um.auth.signIn({ email: user.email, password, ip: '203.0.113.7', userAgent: 'Laptop' });
      clock.advance(60_000);
      const phone = await um.auth.signIn({ email: user.email, password, ip: '198.51.100.2', userAgent: 'Phone' });
      if (laptop.kind !== 'session' || phone.kind !== 'session') throw new Error('expected sessions');

      // Most recently used first, with where and what from; the token and its digest never show.
      const listed = await ann.users.sessions(user.id);
      expect(listed.map((session) => [session.userAgent, session.ip])).toEqual([
        ['Phone', '198.51.100.2'],
        ['Laptop', '203.0.113.7'],
      ]);
      expect(listed[0]).not.toHaveProperty('digest');
      expect(listed[0]?.id).toBe(phone.session.id);
      expect(await bob.users.sessions(user.id)).toEqual(listed);
      expect((await um.auth.validateSession(laptop.token)).session.id).toBe(laptop.session.id);

      // The admin ends the lost laptop's session; the phone stays signed in.
      await ann.users.revokeSession(user.id, laptop.session.id);
      expect(await codeOf(um.auth.validateSession(laptop.token))).toBe('SESSION_INVALID');
      expect((await um.auth.validateSession(phone.token)).user.id).toBe(user.id);
      expect(await codeOf(ann.users.revokeSession(user.id, laptop.session.id))).toBe('NOT_FOUND');
      expect(await codeOf(ann.users.revokeSession(user.id, 'not-an-id'))).toBe('VALIDATION_FAILED');
      // Bob may end his own; a colleague without admin rights sees nobody else's.
      await bob.users.revokeSession(user.id, phone.session.id);
      expect(await bob.users.sessions(user.id)).toEqual([]);
      expect(await codeOf(bob.users.sessions(firstUser.id))).toBe('FORBIDDEN');
      const { items } = await operator.audit.list({
        organizationId: organization.id,
        action: 'session.revoked',
        limit: 2,
      });
      expect(items.map((event) => [event.actor, event.metadata])).toEqual([
        [
          { type: 'user', userId: user.id },
          { reason: 'revoked', revoked: 1, sessionId: phone.session.id },
        ],
        [
          { type: 'user', userId: firstUser.id },
          { reason: 'revoked', revoked: 1, sessionId: laptop.session.id },
        ],
      ]);
    });

    it('applies a permission change on the next request', async () => {
      const { signIn, um, user, ann } = await activated(makeStorage);
      const { token } = await signIn(user.email, password);
      await ann.users.setAccess(user.id, { roles: ['advanced'] });
      expect((await um.auth.validateSession(token)).permissions).toEqual(['tickets.edit', 'tickets.view']);
    });

    it('upgrades a hash made with older parameters at the next successful sign-in', async () => {
      const { signIn, user, storage, operator, organization } = await activated(makeStorage);
      const { scryptHasher } = await import('../../src/index.js');
      const stronger = scryptHasher({ logN: 11, r: 8, p: 1 });
      const { UserManagement } = await import('../../src/index.js');
      const { memoryMailer, testClock } = await import('../../adapters/memory/index.js');
      const upgraded = new UserManagement({
        storage,
        mailer: memoryMailer(),
        clock: testClock('2026-03-03T00:00:00Z'),
        passwordHasher: stronger,
      });
      await upgraded.auth.signIn({ email: user.email, password });
      expect(
        (await operator.audit.list({ organizationId: organization.id, action: 'credential.upgraded' })).items,
      ).toHaveLength(1);
      expect((await upgraded.auth.signIn({ email: user.email, password })).kind).toBe('session');
      expect(
        (await operator.audit.list({ organizationId: organization.id, action: 'credential.upgraded' })).items,
      ).toHaveLength(1);
      expect((await signIn(user.email, password)).kind).toBe('session');
    });
  });
}
