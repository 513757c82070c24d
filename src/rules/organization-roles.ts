import type { RoleCatalog } from '../catalog.js';
import type { AssignableRole, CustomRole, Organization } from '../types.js';

/** A role as it stands for one organization: whether its admins may assign it now. */
export interface OrganizationRole extends AssignableRole {
  assignable: boolean;
}

/**
 * Every role that exists for an organization: the standard roles (assignable
 * when `allowedRoles` is null or lists them) and the organization's own custom
 * roles (always assignable).
 */
export function organizationRoles(
  organization: Pick<Organization, 'allowedRoles'>,
  standardRoles: RoleCatalog,
  customRoles: readonly CustomRole[],
): ReadonlyMap<string, OrganizationRole> {
  const roles = new Map<string, OrganizationRole>();
  for (const role of standardRoles.roles.values()) {
    roles.set(role.key, {
      key: role.key,
      label: role.label,
      permissions: [...role.permissions],
      custom: false,
      assignable: organization.allowedRoles === null || organization.allowedRoles.includes(role.key),
    });
  }
  for (const role of customRoles) {
    roles.set(role.key, {
      key: role.key,
      label: role.label,
      permissions: [...role.permissions],
      custom: true,
      assignable: true,
    });
  }
  return roles;
}

/** The keys of the roles (of this organization) that carry any of `permissions`. */
export function rolesCarrying(
  roles: ReadonlyMap<string, Pick<AssignableRole, 'permissions'>>,
  permissions: readonly string[],
): string[] {
  const keys: string[] = [];
  for (const [key, role] of roles) {
    if (role.permissions.some((permission) => permissions.includes(permission))) keys.push(key);
  }
  return keys;
}
