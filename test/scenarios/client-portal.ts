import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

async function clientPortal(makeStorage: MakeStorage) {
  const t = await makeTenantry(makeStorage);
  const client = await t.operator.organizations.create({
    name: 'Client Co',
    allowedRoles: ['basic', 'advanced'],
    firstUser: person('Cleo', 'Client'),
  });
  const other = await t.operator.organizations.create({ name: 'Other Co', firstUser: person('Otto', 'Other') });
  return { ...t, client, other, cleo: t.as(client.firstUser.id), organizationId: client.organization.id };
}

export function describeClientPortal(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: client portal with provider-controlled security levels`, () => {
    it('offers only the standard levels the provider made available, plus custom ones', async () => {
      const { cleo, operator, organizationId } = await clientPortal(makeStorage);
      expect((await cleo.roles.list(organizationId)).map((role) => role.key)).toEqual(['basic', 'advanced']);
      await operator.roles.createCustom(organizationId, {
        key: 'auditor',
        label: 'Auditor',
        permissions: ['tickets.view'],
      });
      const listed = await cleo.roles.list(organizationId);
      expect(listed.map((role) => [role.key, role.custom])).toEqual([
        ['basic', false],
        ['advanced', false],
        ['auditor', true],
      ]);
    });

    it('refuses a level outside the allowed ones and another company’s custom level', async () => {
      const { cleo, operator, organizationId, other } = await clientPortal(makeStorage);
      await operator.roles.createCustom(other.organization.id, {
        key: 'theirs',
        label: 'Theirs',
        permissions: ['tickets.view'],
      });
      expect(await codeOf(cleo.users.add({ organizationId, ...person('A', 'B'), roles: ['manager'] }))).toBe(
        'ROLE_UNAVAILABLE',
      );
      expect(await codeOf(cleo.users.add({ organizationId, ...person('A', 'B'), roles: ['theirs'] }))).toBe(
        'ROLE_UNAVAILABLE',
      );
      expect(await codeOf(cleo.users.add({ organizationId, ...person('A', 'B'), roles: ['no-such-role'] }))).toBe(
        'ROLE_UNAVAILABLE',
      );
      const { user } = await cleo.users.add({ organizationId, ...person('Al', 'Advanced'), roles: ['advanced'] });
      expect(user.effectivePermissions).toEqual(['tickets.edit', 'tickets.view']);
    });

    it('keeps custom levels the provider’s to create and delete, and the company admins’ to assign', async () => {
      const { cleo, operator, organizationId } = await clientPortal(makeStorage);
      const role = { key: 'auditor', label: 'Auditor', permissions: ['tickets.view'] };
      expect(await codeOf(cleo.roles.createCustom(organizationId, role))).toBe('FORBIDDEN');
      await operator.roles.createCustom(organizationId, role);
      expect(await codeOf(operator.roles.createCustom(organizationId, role))).toBe('CONFLICT');
      expect(await codeOf(operator.roles.createCustom(organizationId, { ...role, key: 'basic' }))).toBe('CONFLICT');
      const incomplete = operator.roles.createCustom(organizationId, {
        key: 'editor',
        label: 'Editor',
        permissions: ['tickets.edit'],
      });
      expect(await codeOf(incomplete)).toBe('PERMISSION_DEPENDENCY');
      const { user } = await cleo.users.add({ organizationId, ...person('Aud', 'Itor'), roles: ['auditor'] });
      expect(await codeOf(operator.roles.deleteCustom(organizationId, 'auditor'))).toBe('CONFLICT');
      await cleo.users.setAccess(user.id, { roles: [] });
      expect(await codeOf(cleo.roles.deleteCustom(organizationId, 'auditor'))).toBe('FORBIDDEN');
      await operator.roles.deleteCustom(organizationId, 'auditor');
      expect((await cleo.roles.list(organizationId)).map((r) => r.key)).toEqual(['basic', 'advanced']);
    });

    it('lists the permissions as choices: available to the company, and grantable by whoever asks', async () => {
      const { cleo, operator, organizationId, other } = await clientPortal(makeStorage);
      const choices = new Map((await cleo.permissions.list(organizationId)).map((choice) => [choice.key, choice]));
      expect(choices.get('tickets.edit')).toEqual({
        key: 'tickets.edit',
        label: 'Edit tickets',
        description: null,
        requires: ['tickets.view'],
        operatorOnly: false,
        available: true,
        grantable: true,
      });
      expect(choices.get('tickets.taskfire')).toMatchObject({ available: true, grantable: false, operatorOnly: true });
      expect(choices.get('instances.manage')).toMatchObject({ available: false, grantable: false });
      expect(choices.get('customers.manage')).toMatchObject({ available: false });
      const asOperator = await operator.permissions.list(organizationId);
      expect(asOperator.find((choice) => choice.key === 'tickets.taskfire')?.grantable).toBe(true);
      await operator.organizations.setFeatures(organizationId, ['data-estate']);
      const withFeature = await cleo.permissions.list(organizationId);
      expect(withFeature.find((choice) => choice.key === 'instances.manage')?.available).toBe(true);
      expect(await codeOf(cleo.permissions.list(other.organization.id))).toBe('NOT_FOUND');
    });

    it('leaves the provider-only level to the provider', async () => {
      const { cleo, operator, organizationId } = await clientPortal(makeStorage);
      await operator.organizations.setAllowedRoles(organizationId, null);
      const { user } = await cleo.users.add({ organizationId, ...person('Tess', 'Task'), roles: ['basic'] });
      expect(await codeOf(cleo.users.setAccess(user.id, { permissions: ['tickets.taskfire'] }))).toBe('FORBIDDEN');
      expect(await codeOf(cleo.users.setAccess(user.id, { roles: ['basic', 'taskfire'] }))).toBe('FORBIDDEN');
      const upgraded = await operator.users.setAccess(user.id, { roles: ['basic', 'taskfire'] });
      expect(upgraded.effectivePermissions).toContain('tickets.taskfire');
      expect(await codeOf(cleo.users.setAccess(user.id, { roles: ['basic'] }))).toBe('FORBIDDEN');
      const renamed = await cleo.users.update(user.id, { firstName: 'Tessa' });
      expect(renamed.roles).toEqual(['basic', 'taskfire']);
    });

    it('refuses broken permission dependencies in both directions and unknown permissions', async () => {
      const { cleo, organizationId } = await clientPortal(makeStorage);
      expect(await codeOf(cleo.users.add({ organizationId, ...person('A', 'B'), permissions: ['tickets.edit'] }))).toBe(
        'PERMISSION_DEPENDENCY',
      );
      const { user } = await cleo.users.add({
        organizationId,
        ...person('Ed', 'Editor'),
        permissions: ['tickets.view', 'tickets.edit'],
      });
      expect(await codeOf(cleo.users.setAccess(user.id, { permissions: ['tickets.edit'] }))).toBe(
        'PERMISSION_DEPENDENCY',
      );
      expect(await codeOf(cleo.users.setAccess(user.id, { permissions: ['tickets.fly'] }))).toBe(
        'PERMISSION_UNAVAILABLE',
      );
      expect(
        (await cleo.users.setAccess(user.id, { permissions: [], roles: ['advanced'] })).effectivePermissions,
      ).toEqual(['tickets.edit', 'tickets.view']);
    });

    it('keeps formatting preferences and contact records without a login', async () => {
      const { cleo, organizationId } = await clientPortal(makeStorage);
      const preferences = {
        locale: 'de-DE',
        timeZone: 'Europe/Berlin',
        dateFormat: 'dd.MM.yyyy',
        timeFormat: 'HH:mm',
        numberFormat: '1.234,56',
      };
      const { user, invitationSent } = await cleo.users.add({
        organizationId,
        ...person('Kim', 'Contact'),
        canSignIn: false,
        preferences,
      });
      expect(invitationSent).toBe(false);
      expect(user).toMatchObject({ canSignIn: false, preferences, isAdmin: false });
      expect(await codeOf(cleo.users.update(user.id, { preferences: { timeZone: 'Mars/Olympus' } }))).toBe(
        'VALIDATION_FAILED',
      );
    });
  });
}
