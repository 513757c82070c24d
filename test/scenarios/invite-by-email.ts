import { describe, expect, it } from 'vitest';
import { nameFromEmail } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function company(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const acme = await t.operator.organizations.create({
    name: 'Acme',
    allowedRoles: ['basic', 'advanced'],
    firstUser: person('Ann', 'Admin'),
  });
  const other = await t.operator.organizations.create({ name: 'Other', firstUser: person('Oscar', 'Other') });
  const ann = t.as(acme.firstUser.id);
  const { user: bob } = await ann.users.add({ organizationId: acme.organization.id, ...person('Bob', 'Member') });
  t.mailer.outbox.length = 0;
  return { ...t, ann, bob, organization: acme.organization, other: other.firstUser };
}

export function describeInviteByEmail(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: inviting by address list`, () => {
    it('creates, matches and rejects address by address, and mails each new user once', async () => {
      const { ann, bob, other, organization, mailer, operator } = await company(makeStorage);
      const result = await ann.invitations.inviteByEmail({
        organizationId: organization.id,
        emails: [
          'john.smith@acme.example',
          'Mary-Ann_Lee+portal@Acme.Example',
          'JOHN.SMITH@acme.example',
          bob.email.toUpperCase(),
          other.email,
          'not an address',
        ],
        roles: ['basic'],
      });
      expect(result.created.map((user) => [user.firstName, user.lastName, user.roles, user.status])).toEqual([
        ['John', 'Smith', ['basic'], 'pending'],
        ['Mary', 'Ann Lee', ['basic'], 'pending'],
      ]);
      expect(result.matched.map((user) => user.id)).toEqual([bob.id]);
      expect(result.rejected).toEqual([
        { email: other.email, code: 'EMAIL_TAKEN' },
        { email: 'not an address', code: 'VALIDATION_FAILED' },
      ]);
      expect(mailer.outbox.map((mail) => [mail.kind, mail.to])).toEqual([
        ['invitation', 'john.smith@acme.example'],
        ['invitation', 'Mary-Ann_Lee+portal@acme.example'],
      ]);
      // The matched user is left as they were.
      expect((await operator.users.get(bob.id)).roles).toEqual(bob.roles);
      const { items } = await operator.audit.list({ organizationId: organization.id, action: 'user.created' });
      expect(items).toHaveLength(4);
    });

    it('creates without mailing when asked, to invite later', async () => {
      const { ann, organization, mailer } = await company(makeStorage);
      const { created } = await ann.invitations.inviteByEmail({
        organizationId: organization.id,
        emails: ['later@acme.example'],
        send: false,
      });
      expect(mailer.outbox).toHaveLength(0);
      expect((await ann.invitations.send((created[0] as { id: string }).id)).sent).toBe(true);
      expect(mailer.outbox.map((mail) => mail.to)).toEqual(['later@acme.example']);
    });

    it('refuses the whole list, changing nothing, when the grants or the actor are wrong', async () => {
      const { ann, bob, as, operator, organization, mailer } = await company(makeStorage);
      const emails = ['new.person@acme.example'];
      const before = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(
        await codeOf(ann.invitations.inviteByEmail({ organizationId: organization.id, emails, roles: ['manager'] })),
      ).toBe('ROLE_UNAVAILABLE');
      expect(
        await codeOf(
          ann.invitations.inviteByEmail({ organizationId: organization.id, emails, permissions: ['tickets.edit'] }),
        ),
      ).toBe('PERMISSION_DEPENDENCY');
      expect(await codeOf(as(bob.id).invitations.inviteByEmail({ organizationId: organization.id, emails }))).toBe(
        'FORBIDDEN',
      );
      expect(await codeOf(ann.invitations.inviteByEmail({ organizationId: organization.id, emails: [] }))).toBe(
        'VALIDATION_FAILED',
      );
      const after = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(after.items.map((user) => user.id)).toEqual(before.items.map((user) => user.id));
      expect(mailer.outbox).toHaveLength(0);
    });

    it('keeps other companies out of reach', async () => {
      const { ann, operator } = await company(makeStorage);
      const foreign = await operator.organizations.create({ name: 'Foreign', firstUser: person('Fay', 'Foreign') });
      const emails = ['x@y.example'];
      expect(await codeOf(ann.invitations.inviteByEmail({ organizationId: foreign.organization.id, emails }))).toBe(
        'NOT_FOUND',
      );
    });
  });

  describe(`${name}: names from addresses`, () => {
    it.each([
      ['john.smith@x.example', 'John', 'Smith'],
      ['mary-ann_lee+portal@x.example', 'Mary', 'Ann Lee'],
      ['jsmith@x.example', 'Jsmith', ''],
      ['ÉLODIE.dupont@x.example', 'Élodie', 'Dupont'],
    ])('%s → %s %s', (email, firstName, lastName) => {
      expect(nameFromEmail(email)).toEqual({ firstName, lastName });
    });
  });
}
