import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';

/** Acme with its admin Ann and Bob; Rival, another company, with its admin Rita and Sam. */
async function twoCompanies(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const acme = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const rival = await t.operator.organizations.create({ name: 'Rival', firstUser: person('Rita', 'Rival') });
  const ann = t.as(acme.firstUser.id);
  const rita = t.as(rival.firstUser.id);
  const { user: bob } = await ann.users.add({ organizationId: acme.organization.id, ...person('Bob', 'Basic') });
  const { user: sam } = await rita.users.add({ organizationId: rival.organization.id, ...person('Sam', 'Staff') });
  t.mailer.outbox.length = 0;
  return { ...t, ann, rita, bob, sam, acme: acme.organization, rival: rival.organization };
}

export function describeAddressesAndNames(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: addresses nobody may hold`, () => {
    it('lets no other company take an erased user’s address in any spelling, so nobody can block an erasure', async () => {
      const { operator, um, ann, rita, bob, sam, rival, mailer } = await twoCompanies(makeStorage);
      const tombstone = `erased+${bob.id}@erased.invalid`;
      const spellings = [
        tombstone,
        tombstone.toUpperCase(),
        `erased+${bob.id}@Erased.Invalid`,
        `erased+${bob.id}@erased.ｉｎｖａｌｉｄ`,
        'anyone@mail.example.invalid',
      ];
      for (const email of spellings) {
        const squatter = { organizationId: rival.id, email, firstName: 'Eve', lastName: 'Squatter' };
        expect(await codeOf(rita.users.add(squatter)), email).toBe('VALIDATION_FAILED');
        expect(await codeOf(rita.users.changeEmail(sam.id, email)), email).toBe('VALIDATION_FAILED');
        const firstUser = { email, firstName: 'Eve', lastName: 'Squatter' };
        expect(await codeOf(operator.organizations.create({ name: 'Squat', firstUser })), email).toBe(
          'VALIDATION_FAILED',
        );
      }
      const invited = await rita.invitations.inviteByEmail({ organizationId: rival.id, emails: spellings });
      expect(invited.created).toEqual([]);
      expect(invited.rejected.map(({ code }) => code)).toEqual(spellings.map(() => 'VALIDATION_FAILED'));
      const csv = ['email,first_name,last_name', ...spellings.map((email) => `${email},Eve,Squatter`)].join('\n');
      const report = await rita.imports.run({ organizationId: rival.id, csv });
      expect([report.created, report.exceptions.map(({ code }) => code)]).toEqual([
        0,
        spellings.map(() => 'VALIDATION_FAILED'),
      ]);

      await ann.users.erase(bob.id);
      expect((await operator.users.get(bob.id)).email).toBe(tombstone);
      mailer.outbox.length = 0;
      expect(await codeOf(um.auth.signIn({ email: tombstone, password }))).toBe('INVALID_CREDENTIALS');
      await expect(um.auth.requestPasswordReset({ email: tombstone })).resolves.toBeUndefined();
      expect(mailer.outbox).toEqual([]);
    });
  });

  describe(`${name}: every user has a name`, () => {
    it('rejects invited addresses that give no name with a letter or digit, and creates the others', async () => {
      const { ann, acme } = await twoCompanies(makeStorage);
      const nameless = ['+@acme.example', '+portal@acme.example', '!!@acme.example', '_.-@acme.example'];
      const result = await ann.invitations.inviteByEmail({
        organizationId: acme.id,
        emails: [...nameless, 'kim@acme.example', '!!.lee@acme.example'],
        send: false,
      });
      expect(result.created.map((user) => [user.email, user.firstName, user.lastName])).toEqual([
        ['kim@acme.example', 'Kim', ''],
        ['!!.lee@acme.example', 'Lee', ''],
      ]);
      expect(result.rejected).toEqual(nameless.map((email) => ({ email, code: 'VALIDATION_FAILED' })));
    });

    it('refuses names without a letter or digit wherever a user or organization is named', async () => {
      const { operator, ann, bob, acme } = await twoCompanies(makeStorage);
      const organizationId = acme.id;
      const before = await ann.users.list({ organizationId, status: ['pending', 'active'] });
      for (const blank of ['—', '...', ' - ', '']) {
        const label = JSON.stringify(blank);
        expect(await codeOf(ann.users.add({ organizationId, ...person('Cy', 'Doe'), firstName: blank })), label).toBe(
          'VALIDATION_FAILED',
        );
        expect(await codeOf(ann.users.update(bob.id, { lastName: blank })), label).toBe('VALIDATION_FAILED');
        const firstUser = { ...person('Cy', 'Doe'), lastName: blank };
        expect(await codeOf(operator.organizations.create({ name: 'Fine', firstUser })), label).toBe(
          'VALIDATION_FAILED',
        );
        expect(await codeOf(operator.organizations.update(organizationId, { name: blank })), label).toBe(
          'VALIDATION_FAILED',
        );
      }
      const csv = 'email,first_name,last_name\nnameless@acme.example,...,—\nnamed@acme.example,Nia,N\n';
      const report = await ann.imports.run({ organizationId, csv });
      expect(report.created).toBe(1);
      expect(report.exceptions.map(({ row, code, message }) => [row, code, message.split(':')[0]])).toEqual([
        [2, 'VALIDATION_FAILED', 'first_name'],
      ]);
      const after = await ann.users.list({ organizationId, status: ['pending', 'active'] });
      expect(after.items.length).toBe(before.items.length + 1);
      for (const user of after.items) expect(user.firstName).toMatch(/[\p{L}\p{N}]/u);
    });
  });
}
