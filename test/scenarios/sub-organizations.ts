import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function group(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const parent = await t.operator.organizations.create({
    name: 'Holding',
    features: ['data-estate'],
    allowedRoles: ['basic'],
    firstUser: person('Hal', 'Holding'),
  });
  const hal = t.as(parent.firstUser.id);
  const child = await hal.organizations.create({
    name: 'Subsidiary',
    parentId: parent.organization.id,
    firstUser: person('Sid', 'Sub'),
  });
  return { ...t, parent, child, hal, sid: t.as(child.firstUser.id) };
}

export function describeSubOrganizations(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: organization with sub-organizations`, () => {
    it('lets an admin create a sub-organization that inherits features and allowed roles', async () => {
      const { child, parent } = await group(makeStorage);
      expect(child.organization).toMatchObject({
        parentId: parent.organization.id,
        features: ['data-estate'],
        allowedRoles: ['basic'],
      });
      expect(child.firstUser).toMatchObject({ isAdmin: true, isContactPerson: true });
    });

    it('lets the parent’s admins administer the sub-organization, not the other way round', async () => {
      const { hal, sid, child, parent } = await group(makeStorage);
      const { user } = await hal.users.add({
        organizationId: child.organization.id,
        ...person('Tom', 'Sub'),
        permissions: ['instances.manage'],
      });
      expect(user.effectivePermissions).toEqual(['instances.manage']);
      expect((await sid.users.get(user.id)).id).toBe(user.id);
      expect(await codeOf(sid.users.list({ organizationId: parent.organization.id }))).toBe('NOT_FOUND');
      expect(await codeOf(sid.organizations.get(parent.organization.id))).toBe('NOT_FOUND');
      expect(
        await codeOf(
          sid.organizations.create({ name: 'X', parentId: parent.organization.id, firstUser: person('X', 'Y') }),
        ),
      ).toBe('NOT_FOUND');
    });

    it('shows each actor the organizations they may see', async () => {
      const { hal, sid, operator, parent, child } = await group(makeStorage);
      const grandchild = await sid.organizations.create({
        name: 'Branch',
        parentId: child.organization.id,
        firstUser: person('Bo', 'Branch'),
      });
      const names = async (list: Promise<{ name: string }[]>) => (await list).map((o) => o.name).sort();
      expect(await names(hal.organizations.list())).toEqual(['Branch', 'Holding', 'Subsidiary']);
      expect(await names(sid.organizations.list())).toEqual(['Branch', 'Subsidiary']);
      expect(await names(hal.organizations.list({ parentId: child.organization.id }))).toEqual(['Branch']);
      expect(await names(operator.organizations.list({ parentId: parent.organization.id }))).toEqual(['Subsidiary']);
      const bo = await operator.users.get(grandchild.firstUser.id);
      const { user: member } = await hal.users.add({
        organizationId: parent.organization.id,
        ...person('Meg', 'Member'),
      });
      expect(bo.organizationId).toBe(grandchild.organization.id);
      expect(member.isAdmin).toBe(false);
    });

    it('answers FORBIDDEN to a member acting in their own company', async () => {
      const { hal, as, parent } = await group(makeStorage);
      const { user } = await hal.users.add({ organizationId: parent.organization.id, ...person('Meg', 'Member') });
      const meg = as(user.id);
      expect(await codeOf(meg.users.list({ organizationId: parent.organization.id }))).toBe('FORBIDDEN');
      expect(await codeOf(meg.users.get(parent.firstUser.id))).toBe('FORBIDDEN');
      expect((await meg.users.get(user.id)).id).toBe(user.id);
      expect((await meg.organizations.list()).map((o) => o.name)).toEqual(['Holding']);
      expect((await meg.users.update(user.id, { lastName: 'Renamed' })).lastName).toBe('Renamed');
    });
  });
}
