import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person, sessionOf } from '../support/tenantry.js';

const strongPassword = 'a long passphrase nobody guesses';

async function invited(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, options);
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user, invitationSent } = await ann.users.add({
    organizationId: created.organization.id,
    ...person('Bob', 'New'),
  });
  const tokenOf = (link: string | undefined) => new URL(link as string).searchParams.get('token') as string;
  const lastLink = () => t.mailer.outbox.at(-1)?.link;
  return { ...t, ...created, ann, user, invitationSent, tokenOf, lastLink };
}

export function describeInvitations(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: invitations and activation`, () => {
    it('invites new users and the first user of a new company by mail, with one link', async () => {
      const { mailer, user, invitationSent, firstUser, tokenOf } = await invited(makeStorage);
      expect(invitationSent).toBe(true);
      const [first, second] = mailer.outbox;
      expect(first).toMatchObject({ kind: 'invitation', to: firstUser.email, userId: firstUser.id });
      expect(second).toMatchObject({ kind: 'invitation', to: user.email, subject: 'You are invited to Acme' });
      expect(second?.link).toMatch(/^https:\/\/portal\.example\.test\/accept-invitation\?token=[a-z2-7]{40}$/);
      expect(second?.text).toContain(second?.link);
      expect(second?.html).toContain('href="https://portal.example.test/accept-invitation?token=');
      expect(tokenOf(second?.link)).not.toBe(tokenOf(first?.link));
    });

    it('sends nothing when told not to, when the user cannot sign in or wants no mail, until asked explicitly', async () => {
      const { ann, organization, mailer, tokenOf } = await invited(makeStorage);
      const before = mailer.outbox.length;
      const quiet = await ann.users.add({
        organizationId: organization.id,
        ...person('Q', 'Quiet'),
        emailNotifications: false,
      });
      const later = await ann.users.add({ organizationId: organization.id, ...person('L', 'Later'), invite: false });
      const record = await ann.users.add({
        organizationId: organization.id,
        ...person('C', 'Contact'),
        canSignIn: false,
      });
      expect([quiet.invitationSent, later.invitationSent, record.invitationSent]).toEqual([false, false, false]);
      expect(mailer.outbox).toHaveLength(before);
      expect((await ann.invitations.send(quiet.user.id)).sent).toBe(true);
      expect(mailer.outbox.at(-1)?.to).toBe(quiet.user.email);
      const { link } = await ann.invitations.createLink(later.user.id);
      expect(mailer.outbox).toHaveLength(before + 1);
      expect(await codeOf(ann.invitations.send(record.user.id))).toBe('CONFLICT');
      expect((await ann.users.get(later.user.id)).status).toBe('pending');
      expect(tokenOf(link)).toHaveLength(40);
    });

    it('shows the invitation, and stops an earlier link when a new one is sent', async () => {
      const { um, ann, user, lastLink, tokenOf, clock } = await invited(makeStorage);
      const first = tokenOf(lastLink());
      expect(await um.auth.inspectInvitation(first)).toEqual({
        email: user.email,
        firstName: 'Bob',
        lastName: 'New',
        organizationName: 'Acme',
        expiresAt: new Date(clock.now().getTime() + 7 * 86_400_000),
        termsRequired: false,
      });
      await ann.invitations.send(user.id);
      expect(await codeOf(um.auth.inspectInvitation(first))).toBe('TOKEN_INVALID');
      expect((await um.auth.inspectInvitation(tokenOf(lastLink()))).email).toBe(user.email);
      expect(await codeOf(um.auth.inspectInvitation('not-a-token'))).toBe('TOKEN_INVALID');
    });

    it('lets a link expire after the invitation lifetime', async () => {
      const { um, lastLink, tokenOf, clock } = await invited(makeStorage);
      const token = tokenOf(lastLink());
      clock.advance(7 * 86_400_000 - 1);
      expect((await um.auth.inspectInvitation(token)).firstName).toBe('Bob');
      clock.advance(1);
      expect(await codeOf(um.auth.acceptInvitation({ token, password: strongPassword }))).toBe('TOKEN_INVALID');
    });

    it('activates with a password, starts a session, and works only once', async () => {
      const { um, ann, user, lastLink, tokenOf, clock } = await invited(makeStorage);
      const token = tokenOf(lastLink());
      const signedIn = sessionOf(await um.auth.acceptInvitation({ token, password: strongPassword }));
      expect(signedIn.user).toMatchObject({ id: user.id, status: 'active', activatedAt: clock.now() });
      expect(signedIn.token).toMatch(/^[a-z2-7]{40}$/);
      expect(signedIn.session).toMatchObject({ userId: user.id, revokedAt: null });
      expect(signedIn.session).not.toHaveProperty('digest');
      expect(await codeOf(um.auth.acceptInvitation({ token, password: strongPassword }))).toBe('TOKEN_INVALID');
      expect(await codeOf(ann.invitations.send(user.id))).toBe('CONFLICT');
    });

    it('does not burn the link when the password is refused', async () => {
      const { um, lastLink, tokenOf } = await invited(makeStorage, {
        passwordChecker: async (password) => (password.includes('password') ? 'This password is too common' : null),
      });
      const token = tokenOf(lastLink());
      expect(await codeOf(um.auth.acceptInvitation({ token, password: 'too short' }))).toBe('WEAK_PASSWORD');
      expect(await codeOf(um.auth.acceptInvitation({ token, password: 'password password password' }))).toBe(
        'WEAK_PASSWORD',
      );
      expect((await um.auth.acceptInvitation({ token, password: strongPassword })).user.status).toBe('active');
    });

    it('refuses common and guessable passwords by default, with the reason', async () => {
      const { um, lastLink, tokenOf } = await invited(makeStorage);
      const token = tokenOf(lastLink());
      for (const guessable of ['password password password', '123456789012345', 'qwertyuiopasdfgh']) {
        const error = await um.auth.acceptInvitation({ token, password: guessable }).catch((caught: unknown) => caught);
        expect(error).toMatchObject({ code: 'WEAK_PASSWORD', details: { reason: 'rejected' } });
        expect((error as Error).message.length).toBeGreaterThan(10);
      }
      expect((await um.auth.acceptInvitation({ token, password: strongPassword })).user.status).toBe('active');
    });

    it('requires accepting the terms when the policy says so, and records when', async () => {
      const { um, lastLink, tokenOf, clock } = await invited(makeStorage, { policy: { requireTermsAcceptance: true } });
      const token = tokenOf(lastLink());
      expect((await um.auth.inspectInvitation(token)).termsRequired).toBe(true);
      expect(await codeOf(um.auth.acceptInvitation({ token, password: strongPassword }))).toBe('TERMS_REQUIRED');
      const signedIn = await um.auth.acceptInvitation({ token, password: strongPassword, acceptTerms: true });
      expect(signedIn.user.termsAcceptedAt).toEqual(clock.now());
    });

    it('lets exactly one of many simultaneous redemptions of a link win', async () => {
      const { um, lastLink, tokenOf } = await invited(makeStorage);
      const token = tokenOf(lastLink());
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => um.auth.acceptInvitation({ token, password: strongPassword })),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'TOKEN_INVALID' });
      }
    });

    it('keeps the user when the mail fails, records the failure, and can hand the link over instead', async () => {
      const { ann, organization, mailer, operator } = await invited(makeStorage);
      mailer.failNext(new Error('SMTP unavailable'));
      const { user, invitationSent } = await ann.users.add({
        organizationId: organization.id,
        ...person('Fay', 'Fail'),
      });
      expect(invitationSent).toBe(false);
      expect((await ann.users.get(user.id)).status).toBe('pending');
      const { items } = await operator.audit.list({ organizationId: organization.id, action: 'mail.failed' });
      expect(items[0]).toMatchObject({ targetId: user.id, metadata: { kind: 'invitation' } });
      expect((await ann.invitations.createLink(user.id)).link).toContain('/accept-invitation?token=');
    });

    it('keeps tokens out of storage, audit events and errors', async () => {
      const { um, storage, operator, organization, lastLink, tokenOf } = await invited(makeStorage);
      const token = tokenOf(lastLink());
      const signedIn = sessionOf(await um.auth.acceptInvitation({ token, password: strongPassword }));
      const dump = JSON.stringify(storage.snapshot?.() ?? {});
      const trail = JSON.stringify(await operator.audit.list({ organizationId: organization.id, limit: 200 }));
      for (const secret of [token, signedIn.token, strongPassword]) {
        expect(dump).not.toContain(secret);
        expect(trail).not.toContain(secret);
      }
      const error = await um.auth
        .acceptInvitation({ token, password: strongPassword })
        .catch((caught: unknown) => caught);
      expect(JSON.stringify(error)).not.toContain(token);
      expect(String((error as Error).message)).not.toContain(token);
    });
  });
}
