import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { assertOperator } from '../../flows/organization-writes.js';
import { enforce, notFound, type Unit } from '../../flows/unit.js';
import { actsAsPlatform } from '../../rules/actor.js';
import { permissionChoices } from '../../rules/availability.js';
import { checkCustomRole } from '../../rules/custom-roles.js';
import { idSchema } from '../../schemas/common.js';
import { customRoleSchema, roleKeySchema } from '../../schemas/roles-audit.js';
import type { AssignableRole, CustomRole, Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

/** `roles.list`: the roles the organization's admins may assign, standard first. */
export const listRoles = defineOperation({
  name: 'roles.list',
  input: z.tuple([idSchema]),
  async run(unit, [organizationId]): Promise<AssignableRole[]> {
    const organization = await unit.organizationFor(organizationId, 'member');
    const roles = await unit.rolesOf(organization);
    return [...roles.values()]
      .filter((role) => role.assignable)
      .map(({ key, label, permissions, custom }) => ({ key, label, permissions, custom }));
  },
});

/** `permissions.list`: the catalog as it stands for the organization, and what the actor may grant there. */
export const listPermissions = defineOperation({
  name: 'permissions.list',
  input: z.tuple([idSchema]),
  async run(unit, [organizationId]) {
    const organization = await unit.organizationFor(organizationId, 'member');
    return permissionChoices(unit.context.catalog, organization, actsAsPlatform(unit.facts));
  },
});

async function operatorOrganization(unit: Unit, organizationId: string): Promise<Organization> {
  const organization = await unit.organizationFor(organizationId, 'member', { forUpdate: true });
  assertOperator(unit, 'Only the operator manages custom roles');
  return organization;
}

/** `roles.createCustom` (operator only): a role of the organization's own. */
export const createCustomRole = defineOperation({
  name: 'roles.createCustom',
  input: z.tuple([idSchema, customRoleSchema]),
  async run(unit, [organizationId, data]): Promise<AssignableRole> {
    const organization = await operatorOrganization(unit, organizationId);
    const existing = await unit.tx.roles.list(organization.id);
    enforce(
      checkCustomRole(
        data,
        unit.context.catalog,
        unit.context.standardRoles,
        existing.map((role) => role.key),
      ),
    );
    const role: CustomRole = { organizationId: organization.id, ...data, createdAt: unit.now };
    await unit.tx.roles.insert(role);
    unit.record('role.created', {
      organizationId: organization.id,
      targetId: role.key,
      changes: { label: { before: null, after: role.label }, permissions: { before: null, after: role.permissions } },
    });
    return { key: role.key, label: role.label, permissions: role.permissions, custom: true };
  },
});

/** `roles.deleteCustom` (operator only): refused with `CONFLICT` while any user holds the role. */
export const deleteCustomRole = defineOperation({
  name: 'roles.deleteCustom',
  input: z.tuple([idSchema, roleKeySchema]),
  async run(unit, [organizationId, roleKey]): Promise<void> {
    const organization = await operatorOrganization(unit, organizationId);
    const role = await unit.tx.roles.get(organization.id, roleKey);
    if (!role) throw notFound('No such custom role');
    const holders = await unit.tx.users.withAnyGrant(organization.id, { permissions: [], roles: [roleKey] });
    if (holders.length > 0) {
      throw new TenantryError('CONFLICT', `The role "${roleKey}" is still assigned to ${holders.length} user(s)`, {
        role: roleKey,
        holders: holders.length,
      });
    }
    await unit.tx.roles.delete(organization.id, roleKey);
    unit.record('role.deleted', {
      organizationId: organization.id,
      targetId: roleKey,
      changes: { label: { before: role.label, after: null }, permissions: { before: role.permissions, after: null } },
    });
  },
});
