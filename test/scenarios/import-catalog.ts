import { describe, expect, it } from 'vitest';
import { importTemplate } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';
import { fields } from './profile-fields.js';
import { resources } from './resources.js';

async function company(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage, { fields, resources, policy: { profile: { firstName: 'self' } } });
  const { organization, firstUser } = await t.operator.organizations.create({
    name: 'Contoso',
    firstUser: person('Carla', 'Admin'),
  });
  const carla = t.as(firstUser.id);
  const { user: bob } = await carla.users.add({
    organizationId: organization.id,
    ...person('Bob', 'Builder'),
    fields: { picture: 'https://cdn.example.test/bob.png', employeeNumber: 'E-1' },
    invite: false,
  });
  await carla.users.setResourceAccess(bob.id, 'job', 'all');
  await carla.users.setResourceAccess(bob.id, 'instance', { ids: ['inst-sales'] });
  return { ...t, organization, carla, admin: firstUser, bob };
}

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

export function describeImportCatalog(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: importing profile fields and resource access`, () => {
    it('offers a template with a column per profile field and per resource type', async () => {
      const { um } = await company(makeStorage);
      const columns = um.importTemplate().split(',');
      expect(columns.slice(0, importTemplate().split(',').length)).toEqual(importTemplate().split(','));
      expect(columns.slice(-10)).toEqual([
        'field.title',
        'field.picture',
        'field.signature',
        'field.employeeNumber',
        'field.seniority',
        'field.desk',
        'field.remote',
        'access.instance',
        'access.job',
        'access.project',
      ]);
    });

    it('creates users with their fields and access, and refuses each bad cell by its column', async () => {
      const { carla, organization, operator } = await company(makeStorage);
      const report = await carla.imports.run({
        organizationId: organization.id,
        csv: csv(
          'email,first_name,last_name,FIELD.TITLE,field.picture,field.desk,field.remote,access.job,Access.Instance',
          'carl@contoso.example,Carl,Carlson,Engineer,https://cdn.example.test/carl.png,12,yes,all,inst-b | inst-a',
          'dora@contoso.example,Dora,Dorsey,,,twelve,,,',
          'eve@contoso.example,Eve,Evans,,http://cdn.example.test/eve.png,,,,',
          'finn@contoso.example,Finn,Fisher,,,,,job-1|job-1|job 2,',
        ),
      });
      expect(report).toMatchObject({ created: 2, failed: 2 });
      expect(report.exceptions.map(({ row, code, message }) => [row, code, message.split(':')[0]])).toEqual([
        [3, 'VALIDATION_FAILED', 'field.desk'],
        [4, 'VALIDATION_FAILED', 'field.picture'],
      ]);
      const { items } = await carla.users.list({
        organizationId: organization.id,
        search: 'carl@',
        status: ['pending'],
      });
      expect(items[0]).toMatchObject({
        fields: { title: 'Engineer', picture: 'https://cdn.example.test/carl.png', desk: 12, remote: true },
        resourceAccess: { job: 'all', instance: ['inst-a', 'inst-b'] },
      });
      const finn = (await carla.users.list({ organizationId: organization.id, search: 'finn@', status: ['pending'] }))
        .items[0];
      expect(finn?.resourceAccess).toEqual({ job: ['job 2', 'job-1'] });
      const holders = await carla.resources.holders({
        organizationId: organization.id,
        type: 'job',
        resourceId: 'job 2',
      });
      expect(holders.items.map((user) => user.email.split('.')[0]).sort()).toEqual([
        'bob',
        'carl@contoso',
        'finn@contoso',
      ]);
      const trail = await operator.audit.list({ organizationId: organization.id, action: 'user.resources.changed' });
      expect(trail.items.filter((event) => event.targetId === finn?.id)).toHaveLength(1);

      // Projects are refused until the operator licenses them, and then go in.
      const projects = csv('email,first_name,last_name,access.project', 'gil@contoso.example,Gil,Grant,proj-1');
      const refused = await carla.imports.run({ organizationId: organization.id, csv: projects });
      expect(refused.exceptions.map(({ code }) => code)).toEqual(['RESOURCE_UNAVAILABLE']);
      await operator.organizations.setFeatures(organization.id, ['projects']);
      const licensed = await carla.imports.run({ organizationId: organization.id, csv: projects });
      expect(licensed.created).toBe(1);
    });

    it('updates fields and access by the rules of users.update and setResourceAccess', async () => {
      const { carla, organization, bob } = await company(makeStorage);
      const run = (...lines: string[]) =>
        carla.imports.run({ organizationId: organization.id, mode: 'update', csv: csv(...lines) });
      // A self-only field, or a first name only the user changes, is not the importer's to change.
      const refused = await run(
        'email,first_name,last_name,field.picture,access.job',
        `${bob.email},Bob,Builder,https://cdn.example.test/other.png,job-1`,
      );
      expect(refused.exceptions.map(({ code }) => code)).toEqual(['FORBIDDEN']);
      const renamed = await run('email,first_name,last_name', `${bob.email},Robert,Builder`);
      expect(renamed.exceptions.map(({ code, message }) => [code, message])).toEqual([
        ['FORBIDDEN', 'Only the user changes their first name'],
      ]);
      expect(await carla.users.get(bob.id)).toMatchObject({
        firstName: 'Bob',
        fields: { picture: 'https://cdn.example.test/bob.png' },
        resourceAccess: { job: 'all', instance: ['inst-sales'] },
      });
      // "All jobs" narrowed to three; an empty cell takes instances away; the picture's column is left out.
      const dry = await run(
        'email,first_name,last_name,field.employeeNumber,access.job,access.instance',
        `${bob.email},Bob,Builder,E-2,job-1|job-2|job-3,`,
      );
      expect(dry.updated).toBe(1);
      expect(await carla.users.get(bob.id)).toMatchObject({
        fields: { employeeNumber: 'E-2', picture: 'https://cdn.example.test/bob.png' },
        resourceAccess: { job: ['job-1', 'job-2', 'job-3'] },
      });
    });

    it('writes nothing on a dry run, and refuses a header naming no field or type', async () => {
      const { carla, organization, bob } = await company(makeStorage);
      const dry = await carla.imports.run({
        organizationId: organization.id,
        mode: 'update',
        dryRun: true,
        csv: csv('email,first_name,last_name,access.job,field.title', `${bob.email},Bob,Builder,,Boss`),
      });
      expect(dry).toMatchObject({ updated: 1, failed: 0 });
      expect(await carla.users.get(bob.id)).toMatchObject({ fields: { employeeNumber: 'E-1' } });
      expect((await carla.users.get(bob.id)).resourceAccess.job).toBe('all');
      for (const column of ['field.nickname', 'access.library']) {
        const header = `email,first_name,last_name,${column}`;
        expect(await codeOf(carla.imports.run({ organizationId: organization.id, csv: csv(header) }))).toBe(
          'VALIDATION_FAILED',
        );
      }
    });
  });
}
