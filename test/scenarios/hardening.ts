import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';
const newPassword = 'another passphrase, just as long';
const HOUR = 3_600_000;

async function member(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, options);
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const { user } = await ann.users.add({ organizationId: created.organization.id, ...person('Bob', 'Member') });
  const tokenOf = (link: string | undefined) => new URL(link as string).searchParams.get('token') as string;
  await t.um.auth.acceptInvitation({ token: tokenOf(t.mailer.outbox.at(-1)?.link), password });
  const resetLink = async () => {
    await t.um.auth.requestPasswordReset({ email: user.email });
    return tokenOf(t.mailer.outbox.at(-1)?.link);
  };
  return { ...t, ...created, ann, user, tokenOf, resetLink };
}

/** The next event of `action`, once it is emitted. */
function nextEvent(um: { on(action: string, handler: (event: AuditEvent) => void): () => void }, action: string) {
  return new Promise<AuditEvent>((resolve) => {
    const off = um.on(action, (event) => {
      off();
      resolve(event);
    });
  });
}

export function describeHardening(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: links end with what they were for`, () => {
    it('refuses a reset link issued before the password was changed', async () => {
      const { um, user, resetLink } = await member(makeStorage);
      const token = await resetLink();
      const signedIn = await um.auth.signIn({ email: user.email, password });
      if (signedIn.kind !== 'session') throw new Error('expected a session');
      await um.auth.changePassword({ sessionToken: signedIn.token, currentPassword: password, newPassword });
      expect(await codeOf(um.auth.resetPassword({ token, newPassword: 'a third passphrase, long enough' }))).toBe(
        'TOKEN_INVALID',
      );
    });

    it('refuses reset and invitation links issued before a disable, after enabling again', async () => {
      const { um, ann, user, organization, resetLink, mailer, tokenOf } = await member(makeStorage);
      const reset = await resetLink();
      const { user: pending } = await ann.users.add({ organizationId: organization.id, ...person('Pen', 'Ding') });
      const invitation = tokenOf(mailer.outbox.at(-1)?.link);
      for (const id of [user.id, pending.id]) await ann.users.disable(id);
      for (const id of [user.id, pending.id]) await ann.users.enable(id);
      expect(await codeOf(um.auth.resetPassword({ token: reset, newPassword }))).toBe('TOKEN_INVALID');
      expect(await codeOf(um.auth.inspectInvitation(invitation))).toBe('TOKEN_INVALID');
      expect(await codeOf(um.auth.acceptInvitation({ token: invitation, password }))).toBe('TOKEN_INVALID');
    });

    it('refuses links issued before the login was taken away, after it is given back', async () => {
      const { um, ann, user, resetLink } = await member(makeStorage);
      const reset = await resetLink();
      await ann.users.setAccess(user.id, { canSignIn: false });
      await ann.users.setAccess(user.id, { canSignIn: true });
      expect(await codeOf(um.auth.resetPassword({ token: reset, newPassword }))).toBe('TOKEN_INVALID');
    });

    it('refuses a password change by an expired account through a session made before expiry', async () => {
      const { um, ann, user, clock } = await member(makeStorage);
      await ann.users.setExpiry(user.id, new Date(clock.now().getTime() + HOUR));
      const signedIn = await um.auth.signIn({ email: user.email, password });
      if (signedIn.kind !== 'session') throw new Error('expected a session');
      clock.advance(HOUR);
      expect(
        await codeOf(um.auth.changePassword({ sessionToken: signedIn.token, currentPassword: password, newPassword })),
      ).toBe('SESSION_INVALID');
      await ann.users.setExpiry(user.id, null);
      // The password stayed as it was.
      expect((await um.auth.signIn({ email: user.email, password })).kind).toBe('session');
    });
  });

  describe(`${name}: mail budgets nobody can spend for others`, () => {
    it('keeps the admins’ mail and everyone else’s resets out of reach of anonymous requests', async () => {
      const { um, ann, user, organization, mailer, tokenOf } = await member(makeStorage, {
        policy: { mailLimits: { perAddress: 3, perOrganization: 10, windowMs: HOUR } },
      });
      const { user: dee } = await ann.users.add({ organizationId: organization.id, ...person('Dee', 'Colleague') });
      await um.auth.acceptInvitation({ token: tokenOf(mailer.outbox.at(-1)?.link), password });
      // An outsider asks again and again for Bob's address, and for addresses that have no account.
      for (let attempt = 0; attempt < 6; attempt++) await um.auth.requestPasswordReset({ email: user.email });
      for (let index = 0; index < 20; index++)
        await um.auth.requestPasswordReset({ email: `guess.${index}@example.test` });
      const before = mailer.outbox.length;
      await ann.users.resetPassword(user.id, { mode: 'email' });
      await um.auth.requestPasswordReset({ email: dee.email });
      expect(mailer.outbox.slice(before).map((mail) => [mail.kind, mail.to])).toEqual([
        ['password-reset', user.email],
        ['password-reset', dee.email],
      ]);
      const { items } = await ann.audit.list({ organizationId: organization.id, action: 'mail.throttled' });
      expect(items.map((event) => event.metadata)).toEqual([
        { limit: 'address', origin: 'self-service' },
        { limit: 'address', origin: 'self-service' },
        { limit: 'address', origin: 'self-service' },
      ]);
    });

    it('lets a user reset their password after an import of more invitations than the budget', async () => {
      const { um, ann, user, organization, mailer } = await member(makeStorage, {
        policy: { mailLimits: { perAddress: 3, perOrganization: 5, windowMs: HOUR } },
      });
      const rows = Array.from({ length: 8 }, (_, index) => `bulk.${index}@example.test,Bu,Lk${index}`);
      await ann.imports.run({
        organizationId: organization.id,
        csv: `email,first_name,last_name\n${rows.join('\n')}`,
        invite: true,
      });
      await ann.invitations.inviteByEmail({ organizationId: organization.id, emails: ['listed@example.test'] });
      await um.auth.requestPasswordReset({ email: user.email });
      expect(mailer.outbox.at(-1)).toMatchObject({ kind: 'password-reset', to: user.email });
    });
  });

  describe(`${name}: public flows answer before the mail goes`, () => {
    it('answers a reset request while the mail server has not answered yet, and records a failed send', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let failing = false;
      const sent: string[] = [];
      const slow = await makeTenantry(makeStorage, {
        mailer: {
          async send(message) {
            await gate;
            if (failing) throw new Error('mail server down');
            sent.push(message.to);
          },
        },
      });
      const { firstUser } = await slow.operator.organizations.create({
        name: 'Slow Mail Ltd',
        firstUser: { ...person('Sam', 'Slow'), invite: false },
      });
      const { link } = await slow.operator.invitations.createLink(firstUser.id);
      await slow.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') as string, password });
      // With the mail server holding every message, the answer comes all the same.
      await slow.um.auth.requestPasswordReset({ email: firstUser.email });
      expect(sent).toEqual([]);
      release();
      await new Promise((resolve) => setImmediate(resolve));
      expect(sent).toEqual([firstUser.email]);
      failing = true;
      const failed = nextEvent(slow.um, 'mail.failed');
      await slow.um.auth.requestPasswordReset({ email: firstUser.email });
      expect((await failed).metadata).toMatchObject({ kind: 'password-reset', reason: 'mail server down' });
    });
  });

  describe(`${name}: what imports and refusals keep`, () => {
    it('records refused addresses of other companies in the actor’s trail, never the address itself', async () => {
      const { ann, operator, organization } = await member(makeStorage);
      const other = await operator.organizations.create({ name: 'Globex', firstUser: person('Gil', 'Other') });
      const taken = other.firstUser.email;
      const dryRun = await ann.imports.run({
        organizationId: organization.id,
        csv: `email,first_name,last_name\n${taken},Probe,One\nfresh.one@example.test,Fresh,One\n`,
        dryRun: true,
      });
      expect(dryRun.exceptions.map((exception) => exception.code)).toEqual(['EMAIL_TAKEN']);
      expect(
        await codeOf(ann.users.add({ organizationId: organization.id, ...person('Pro', 'Be'), email: taken })),
      ).toBe('EMAIL_TAKEN');
      await ann.invitations.inviteByEmail({ organizationId: organization.id, emails: [taken.toUpperCase()] });
      const { items } = await ann.audit.list({ organizationId: organization.id, action: 'user.email.taken' });
      expect(items.map((event) => event.metadata)).toEqual([
        { count: 1, call: 'invitations.inviteByEmail' },
        { count: 1, call: 'users.add' },
        { count: 1, call: 'imports.run', importId: dryRun.id, dryRun: true },
      ]);
      expect(JSON.stringify(items).toLowerCase()).not.toContain(taken.toLowerCase());
      const theirs = await operator.audit.list({ organizationId: other.organization.id, action: 'user.email.taken' });
      expect(theirs.items).toEqual([]);
    });

    it('keeps a report small whatever the file: the first exceptions, each cell cut short, every failure counted', async () => {
      const { ann, organization } = await member(makeStorage, { policy: { import: { maxExceptions: 5 } } });
      const huge = `${'x'.repeat(100_000)}@example.test`;
      const rows = Array.from({ length: 12 }, (_, index) => `${index === 0 ? huge : `bad${index}`},Bad,Row`);
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: `email,first_name,last_name\n${rows.join('\n')}\nok.person@example.test,Ok,Person\n`,
      });
      expect([report.created, report.failed, report.exceptions.length]).toEqual([1, 12, 5]);
      expect(report.exceptions.map((exception) => exception.row)).toEqual([2, 3, 4, 5, 6]);
      expect(report.exceptions[0]?.email).toHaveLength(320);
      expect(JSON.stringify(await ann.imports.get(report.id)).length).toBeLessThan(5_000);
    });
  });
}
