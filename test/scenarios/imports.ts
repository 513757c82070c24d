import { describe, expect, it } from 'vitest';
import { importTemplate } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function company(makeStorage: MakeStorage, options: Parameters<typeof makeTenantry>[1] = {}) {
  const t = await makeTenantry(makeStorage, options);
  const acme = await t.operator.organizations.create({
    name: 'Acme',
    allowedRoles: ['basic', 'advanced'],
    firstUser: person('Ann', 'Admin'),
  });
  const other = await t.operator.organizations.create({ name: 'Other', firstUser: person('Oscar', 'Other') });
  const ann = t.as(acme.firstUser.id);
  const { organization: branch } = await ann.organizations.create({
    name: 'Acme Branch',
    parentId: acme.organization.id,
    firstUser: person('Bea', 'Branch'),
  });
  const { user: bob } = await ann.users.add({
    organizationId: acme.organization.id,
    ...person('Bob', 'Member'),
    roles: ['basic'],
    invite: false,
  });
  t.mailer.outbox.length = 0;
  return { ...t, ann, bob, admin: acme.firstUser, organization: acme.organization, branch, other };
}

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

export function describeImports(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: importing users from CSV`, () => {
    it('puts the good rows in and reports every bad one by its spreadsheet row', async () => {
      const { ann, admin, organization, branch, other, operator, mailer } = await company(makeStorage);
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: csv(
          'email,first_name,last_name,roles,organization',
          'carl@acme.example,Carl,Carlson,basic,',
          `dora@acme.example,Dora,Dorsey,advanced,${branch.id}`,
          'not an address,Eve,Evans,,',
          'CARL@acme.example,Carl,Again,,',
          `${other.firstUser.email},Oscar,Stolen,,`,
          'fay@acme.example,Fay,Fox,manager,',
          'gus@acme.example,Gus,Gray,,org_nowhere',
        ),
      });
      expect(report).toMatchObject({ status: 'finished', total: 7, created: 2, updated: 0, skipped: 0, failed: 5 });
      expect(report.exceptions.map(({ row, code }) => [row, code])).toEqual([
        [4, 'VALIDATION_FAILED'],
        [5, 'VALIDATION_FAILED'],
        [6, 'EMAIL_TAKEN'],
        [7, 'ROLE_UNAVAILABLE'],
        [8, 'NOT_FOUND'],
      ]);
      expect(report.exceptions[1]?.message).toMatch(/row 2/);
      const { items } = await operator.users.list({ organizationId: branch.id, status: ['pending'], search: 'dora' });
      expect(items.map((user) => [user.email, user.roles])).toEqual([['dora@acme.example', ['advanced']]]);
      expect(await operator.imports.get(report.id)).toEqual(report);
      expect((await ann.imports.list(organization.id)).map((item) => item.id)).toEqual([report.id]);
      // The one who ran it hears how it went; nobody was invited.
      expect(mailer.outbox.map((mail) => [mail.kind, mail.to])).toEqual([['import-finished', admin.email]]);
      expect(mailer.outbox[0]?.text).toMatch(/2 created, 0 updated, 0 skipped, 5 with problems/);
      const created = await operator.audit.list({ organizationId: organization.id, action: 'user.created' });
      expect(created.items.filter((event) => event.metadata.importId === report.id)).toHaveLength(1);
    });

    it('refuses an expiry that has passed, row by row, as users.add does', async () => {
      const { ann, organization } = await company(makeStorage);
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: csv(
          'email,first_name,last_name,expires_at',
          'hal@acme.example,Hal,Hill,2000-01-01T00:00:00Z',
          'ida@acme.example,Ida,Ince,2100-01-01T00:00:00Z',
        ),
      });
      expect(report).toMatchObject({ created: 1, failed: 1 });
      expect(report.exceptions).toEqual([
        {
          row: 2,
          email: 'hal@acme.example',
          code: 'VALIDATION_FAILED',
          message: expect.stringMatching(/^expires_at must be in the future/),
        },
      ]);
      const added = ann.users.add({
        organizationId: organization.id,
        email: 'hal@acme.example',
        firstName: 'Hal',
        lastName: 'Hill',
        expiresAt: '2000-01-01T00:00:00Z',
      });
      await expect(added).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { issues: [{ path: 'expiresAt', message: 'Must be in the future' }] },
      });
    });

    it('skips existing users or updates them by the same rules, never the importer’s own access', async () => {
      const { ann, admin, bob, organization, operator } = await company(makeStorage);
      const file = csv(
        'email,first_name,last_name,roles,locale',
        `${bob.email.toUpperCase()},Robert,Member,advanced,de-DE`,
        `${admin.email},Ann,Admin,basic,`,
      );
      const skipped = await ann.imports.run({ organizationId: organization.id, csv: file });
      expect(skipped).toMatchObject({ created: 0, updated: 0, skipped: 2, failed: 0 });
      const updated = await ann.imports.run({ organizationId: organization.id, csv: file, mode: 'update' });
      expect(updated).toMatchObject({ created: 0, updated: 1, skipped: 0, failed: 1 });
      expect(updated.exceptions).toMatchObject([{ row: 3, code: 'SELF_MODIFICATION' }]);
      const robert = await operator.users.get(bob.id);
      expect([robert.firstName, robert.roles, robert.preferences.locale]).toEqual(['Robert', ['advanced'], 'de-DE']);
      expect((await operator.users.get(admin.id)).isAdmin).toBe(true);
    });

    it('checks everything and writes nothing but the report in a dry run', async () => {
      const { ann, organization, operator } = await company(makeStorage);
      const before = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: csv('email,first_name,last_name', 'dry@acme.example,Dry,Run', 'bad,Bad,Row'),
        dryRun: true,
      });
      expect(report).toMatchObject({ dryRun: true, created: 1, failed: 1 });
      const after = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(after.items.map((user) => user.id)).toEqual(before.items.map((user) => user.id));
      expect(await ann.imports.list(organization.id)).toEqual([report]);
    });

    it('invites the new users when asked, in batches, reporting progress', async () => {
      const { ann, organization, mailer, operator, um } = await company(makeStorage);
      const rows = Array.from({ length: 620 }, (_, index) => `user${index}@acme.example,User,Number${index}`);
      rows.splice(10, 0, 'USER3@acme.example,Repeated,Address');
      const progress: unknown[] = [];
      const report = await ann.imports.run({
        organizationId: organization.id,
        csv: csv('email,first_name,last_name', ...rows),
        invite: true,
        onProgress: (step) => progress.push(step),
      });
      expect(report).toMatchObject({ created: 620, failed: 1, total: 621 });
      // The repeated row counts as processed from the start: the total is the file's, as in the report.
      expect(progress).toEqual([
        { processed: 501, total: 621 },
        { processed: 621, total: 621 },
      ]);
      const invitations = mailer.outbox.filter((mail) => mail.kind === 'invitation');
      expect(invitations).toHaveLength(620);
      // The links written in a batch work like any other, once each.
      const token = new URL(invitations[619]?.link as string).searchParams.get('token') as string;
      const accepted = await um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' });
      expect(accepted.user.email).toBe('user619@acme.example');
      expect(await codeOf(um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' }))).toBe(
        'TOKEN_INVALID',
      );
      const page = await operator.users.list({
        organizationId: organization.id,
        status: ['pending', 'active'],
        search: 'number61',
      });
      expect(page.items.map((user) => user.lastName).sort()).toEqual(
        Array.from({ length: 11 }, (_, index) => `Number${index === 0 ? 61 : 610 + index - 1}`).sort(),
      );
    });

    it('refuses files it cannot read, and actors without the right, importing nothing', async () => {
      const { ann, bob, as, organization, other, operator } = await company(makeStorage, {
        policy: { import: { maxRows: 2 } },
      });
      const run = (who: typeof ann, file: string, organizationId = organization.id) =>
        codeOf(who.imports.run({ organizationId, csv: file }));
      expect(await run(ann, '')).toBe('VALIDATION_FAILED');
      expect(await run(ann, csv('mail,first,last', 'x@acme.example,X,Y'))).toBe('VALIDATION_FAILED');
      expect(
        await run(
          ann,
          csv('email,first_name,last_name', 'a@acme.example,A,A', 'b@acme.example,B,B', 'c@acme.example,C,C'),
        ),
      ).toBe('VALIDATION_FAILED');
      expect(await run(as(bob.id), csv(importTemplate()))).toBe('FORBIDDEN');
      expect(await run(ann, csv(importTemplate()), other.organization.id)).toBe('NOT_FOUND');
      expect(await ann.imports.list(organization.id)).toEqual([]);
      const { items } = await operator.users.list({ organizationId: organization.id, status: ['pending', 'active'] });
      expect(items).toHaveLength(2);
    });
  });
}
