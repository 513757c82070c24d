import { TenantryError } from '../errors.js';
import { actsAsPlatform } from '../rules/actor.js';
import { type PermissionChoice, permissionChoices } from '../rules/availability.js';
import { checkCustomRole } from '../rules/custom-roles.js';
import { idSchema } from '../schemas/common.js';
import { parseInput } from '../schemas/parse.js';
import { customRoleSchema, roleKeySchema } from '../schemas/roles-audit.js';
import type { AssignableRole, CustomRole, Organization } from '../types.js';
import { enforce, notFound, type Unit } from './unit.js';

/** `roles.list`: the roles the organization's admins may assign, standard first. */
export async function listRoles(unit: Unit, organizationId: unknown): Promise<AssignableRole[]> {
  const organization = await unit.organizationFor(parseInput(idSchema, organizationId), 'member');
  const roles = await unit.rolesOf(organization);
  return [...roles.values()]
    .filter((role) => role.assignable)
    .map(({ key, label, permissions, custom }) => ({ key, label, permissions, custom }));
}

/** `permissions.list`: the catalog as it stands for the organization, and what the actor may grant there. */
export async function listPermissions(unit: Unit, organizationId: unknown): Promise<PermissionChoice[]> {
  const organization = await unit.organizationFor(parseInput(idSchema, organizationId), 'member');
  return permissionChoices(unit.context.catalog, organization, actsAsPlatform(unit.facts));
}

/** `roles.createCustom` (operator only): a role of the organization's own. */
export async function createCustomRole(unit: Unit, organizationId: unknown, input: unknown): Promise<AssignableRole> {
  const organization = await operatorOrganization(unit, organizationId);
  const data = parseInput(customRoleSchema, input);
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
}

/** `roles.deleteCustom` (operator only): refused with `CONFLICT` while any user holds the role. */
export async function deleteCustomRole(unit: Unit, organizationId: unknown, key: unknown): Promise<void> {
  const organization = await operatorOrganization(unit, organizationId);
  const roleKey = parseInput(roleKeySchema, key);
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
}

async function operatorOrganization(unit: Unit, organizationId: unknown): Promise<Organization> {
  const organization = await unit.organizationFor(parseInput(idSchema, organizationId), 'member', { forUpdate: true });
  if (!actsAsPlatform(unit.facts)) throw new TenantryError('FORBIDDEN', 'Only the operator manages custom roles');
  return organization;
}
