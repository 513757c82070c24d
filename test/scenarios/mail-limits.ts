import { describe, expect, it } from 'vitest';
import { type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const HOUR = 3_600_000;

async function limited(
  makeStorage: MakeStorage,
  mailLimits: { perAddress: number; perOrganization: number; windowMs: number },
) {
  const t = await makeTenantry(makeStorage, { policy: { mailLimits } });
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const ann = t.as(created.firstUser.id);
  const add = async (first: string) =>
    (await ann.users.add({ organizationId: created.organization.id, ...person(first, 'Limited'), invite: false })).user;
  return { ...t, ...created, ann, add };
}

export function describeMailLimits(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: limits on mail to an address`, () => {
    it('stops resending invitations to one address past the limit, until the window passes', async () => {
      const { ann, add, mailer, clock, operator, organization } = await limited(makeStorage, {
        perAddress: 3,
        perOrganization: 100,
        windowMs: HOUR,
      });
      const bob = await add('Bob');
      const before = mailer.outbox.length;
      const answers = [];
      for (let attempt = 0; attempt < 5; attempt++) answers.push((await ann.invitations.send(bob.id)).sent);
      expect(answers).toEqual([true, true, true, false, false]);
      expect(mailer.outbox.length - before).toBe(3);
      const { items } = await operator.audit.list({ organizationId: organization.id, action: 'mail.throttled' });
      expect(items).toHaveLength(2);
      clock.advance(HOUR + 1);
      expect((await ann.invitations.send(bob.id)).sent).toBe(true);
    });

    it('answers forgotten-password requests the same past the limit, and sends nothing', async () => {
      const { um, ann, add, mailer, tokenOf } = await (async () => {
        const t = await limited(makeStorage, { perAddress: 2, perOrganization: 100, windowMs: HOUR });
        return {
          ...t,
          tokenOf: (link: string | undefined) => new URL(link as string).searchParams.get('token') as string,
        };
      })();
      const bob = await add('Bob');
      const { link } = await ann.invitations.createLink(bob.id);
      await um.auth.acceptInvitation({ token: tokenOf(link), password: 'a long passphrase nobody guesses' });
      const before = mailer.outbox.length;
      const answers = await Promise.all([1, 2, 3, 4].map(() => um.auth.requestPasswordReset({ email: bob.email })));
      expect(answers).toEqual([undefined, undefined, undefined, undefined]);
      // Two fit under the limit; the administrator's invitation link is counted in the administrators' budget.
      expect(mailer.outbox.length - before).toBe(2);
    });

    it('limits an admin’s reset links the same way', async () => {
      const { ann, add, mailer, um } = await limited(makeStorage, {
        perAddress: 2,
        perOrganization: 100,
        windowMs: HOUR,
      });
      const bob = await add('Bob');
      const { link } = await ann.invitations.createLink(bob.id);
      await um.auth.acceptInvitation({
        token: new URL(link).searchParams.get('token') as string,
        password: 'a long passphrase nobody guesses',
      });
      const before = mailer.outbox.length;
      for (let attempt = 0; attempt < 3; attempt++) await ann.users.resetPassword(bob.id, { mode: 'email' });
      expect(mailer.outbox.length - before).toBe(1);
    });

    it('limits mail per organization across addresses', async () => {
      const { ann, add } = await limited(makeStorage, { perAddress: 10, perOrganization: 3, windowMs: HOUR });
      const users = [await add('A'), await add('B'), await add('C'), await add('D')];
      const sent = [];
      for (const user of users) sent.push((await ann.invitations.send(user.id)).sent);
      // Ann's own invitation, sent when the organization was created, is the first of the three.
      expect(sent).toEqual([true, true, false, false]);
    });
  });
}
