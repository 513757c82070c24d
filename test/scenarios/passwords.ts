import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';
const newPassword = 'another passphrase, just as long';

async function member(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user } = await ann.users.add({ organizationId: created.organization.id, ...person('Bob', 'Member') });
  const tokenOf = (link: string | undefined) => new URL(link as string).searchParams.get('token') as string;
  await t.um.auth.acceptInvitation({ token: tokenOf(t.mailer.outbox.at(-1)?.link), password });
  const session = async (email: string, secret: string) => {
    const result = await t.um.auth.signIn({ email, password: secret });
    if (result.kind !== 'session') throw new Error('expected a session');
    return result;
  };
  return { ...t, ...created, ann, user, tokenOf, session };
}

export function describePasswords(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: passwords and resets`, () => {
    it('answers a reset request the same for every address and mails only a resettable account', async () => {
      const { um, mailer, user, ann, organization } = await member(makeStorage);
      const { user: pending } = await ann.users.add({ organizationId: organization.id, ...person('Pen', 'Ding') });
      const before = mailer.outbox.length;
      const answers = await Promise.all(
        [user.email.toUpperCase(), 'nobody@example.test', pending.email, 'not an address'].map((email) =>
          um.auth.requestPasswordReset({ email }),
        ),
      );
      expect(answers).toEqual([undefined, undefined, undefined, undefined]);
      expect(mailer.outbox.slice(before).map((mail) => [mail.kind, mail.to])).toEqual([['password-reset', user.email]]);
      expect(mailer.outbox.at(-1)?.link).toMatch(
        /^https:\/\/portal\.example\.test\/reset-password\?token=[a-z2-7]{40}$/,
      );
    });

    it('resets with the link once, ends every session, clears a lockout, and keeps the link on a weak password', async () => {
      const { um, mailer, user, tokenOf, session, ann } = await member(makeStorage);
      const live = await session(user.email, password);
      for (let attempt = 0; attempt < 5; attempt++)
        await codeOf(um.auth.signIn({ email: user.email, password: 'wrong but long password' }));
      expect((await ann.users.get(user.id)).locked).toBe(true);
      await um.auth.requestPasswordReset({ email: user.email });
      const token = tokenOf(mailer.outbox.at(-1)?.link);
      expect(await codeOf(um.auth.resetPassword({ token, newPassword: 'short' }))).toBe('WEAK_PASSWORD');
      await um.auth.resetPassword({ token, newPassword });
      expect(await codeOf(um.auth.resetPassword({ token, newPassword }))).toBe('TOKEN_INVALID');
      expect(await codeOf(um.auth.validateSession(live.token))).toBe('SESSION_INVALID');
      expect((await ann.users.get(user.id)).locked).toBe(false);
      expect(await codeOf(session(user.email, password))).toBe('INVALID_CREDENTIALS');
      expect((await session(user.email, newPassword)).kind).toBe('session');
    });

    it('binds a link to its purpose and lets a reset link expire after an hour', async () => {
      const { um, mailer, user, tokenOf, clock } = await member(makeStorage);
      await um.auth.requestPasswordReset({ email: user.email });
      const token = tokenOf(mailer.outbox.at(-1)?.link);
      expect(await codeOf(um.auth.acceptInvitation({ token, password: newPassword }))).toBe('TOKEN_INVALID');
      expect(await codeOf(um.auth.completePasswordChange({ challengeToken: token, newPassword }))).toBe(
        'TOKEN_INVALID',
      );
      clock.advance(3_600_000);
      expect(await codeOf(um.auth.resetPassword({ token, newPassword }))).toBe('TOKEN_INVALID');
    });

    it('lets an admin mail a reset link, but never to themselves', async () => {
      const { ann, mailer, user, firstUser } = await member(makeStorage);
      await ann.users.resetPassword(user.id, { mode: 'email' });
      expect(mailer.outbox.at(-1)).toMatchObject({ kind: 'password-reset', to: user.email });
      expect(await codeOf(ann.users.resetPassword(firstUser.id, { mode: 'email' }))).toBe('SELF_MODIFICATION');
    });

    it('sets a temporary password that is never mailed and must be changed at the next sign-in', async () => {
      const { um, ann, mailer, user, session } = await member(makeStorage);
      const live = await session(user.email, password);
      const temporary = 'temporary passphrase 2026';
      const mails = mailer.outbox.length;
      expect(await codeOf(ann.users.resetPassword(user.id, { mode: 'temporary', password: 'short' }))).toBe(
        'WEAK_PASSWORD',
      );
      await ann.users.resetPassword(user.id, { mode: 'temporary', password: temporary });
      expect(mailer.outbox).toHaveLength(mails);
      expect(await codeOf(um.auth.validateSession(live.token))).toBe('SESSION_INVALID');
      const challenged = await um.auth.signIn({ email: user.email, password: temporary });
      if (challenged.kind !== 'password-change-required') throw new Error('expected a challenge');
      expect(challenged).not.toHaveProperty('token');
      const changed = await um.auth.completePasswordChange({ challengeToken: challenged.challengeToken, newPassword });
      if (changed.kind !== 'session') throw new Error('expected a session');
      expect(changed.user.mustChangePassword).toBe(false);
      expect((await um.auth.validateSession(changed.token)).user.id).toBe(user.id);
      expect(
        await codeOf(um.auth.completePasswordChange({ challengeToken: challenged.challengeToken, newPassword })),
      ).toBe('TOKEN_INVALID');
      expect((await session(user.email, newPassword)).kind).toBe('session');
    });

    it('lets a password-change challenge expire with the reset lifetime', async () => {
      const { um, ann, user, clock } = await member(makeStorage);
      const temporary = 'temporary passphrase 2026';
      await ann.users.resetPassword(user.id, { mode: 'temporary', password: temporary });
      const challenged = await um.auth.signIn({ email: user.email, password: temporary });
      if (challenged.kind !== 'password-change-required') throw new Error('expected a challenge');
      clock.advance(3_600_000);
      expect(
        await codeOf(um.auth.completePasswordChange({ challengeToken: challenged.challengeToken, newPassword })),
      ).toBe('TOKEN_INVALID');
      const again = await um.auth.signIn({ email: user.email, password: temporary });
      expect(again.kind).toBe('password-change-required');
    });

    it('changes one’s own password with the current one, ending the other sessions only', async () => {
      const { um, user, session } = await member(makeStorage);
      const here = await session(user.email, password);
      const elsewhere = await session(user.email, password);
      const change = { sessionToken: here.token, currentPassword: 'not the current one', newPassword };
      expect(await codeOf(um.auth.changePassword(change))).toBe('INVALID_CREDENTIALS');
      await um.auth.changePassword({ ...change, currentPassword: password });
      expect((await um.auth.validateSession(here.token)).user.id).toBe(user.id);
      expect(await codeOf(um.auth.validateSession(elsewhere.token))).toBe('SESSION_INVALID');
      expect(
        await codeOf(um.auth.changePassword({ ...change, sessionToken: 'nope', currentPassword: newPassword })),
      ).toBe('SESSION_INVALID');
    });

    it('voids open links when the address changes and tells the old address', async () => {
      const { um, ann, mailer, user, tokenOf } = await member(makeStorage);
      await um.auth.requestPasswordReset({ email: user.email });
      const token = tokenOf(mailer.outbox.at(-1)?.link);
      await ann.users.changeEmail(user.id, 'robert.new@example.test');
      expect(mailer.outbox.at(-1)).toMatchObject({ kind: 'email-changed', to: user.email });
      expect(await codeOf(um.auth.resetPassword({ token, newPassword }))).toBe('TOKEN_INVALID');
      expect((await um.auth.signIn({ email: 'robert.new@example.test', password })).kind).toBe('session');
    });
  });
}
