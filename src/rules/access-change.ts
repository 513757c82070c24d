import type { PermissionCatalog } from '../catalog.js';
import type { Organization } from '../types.js';
import { type ActorFacts, actsAsPlatform } from './actor.js';
import { permissionAvailability } from './availability.js';
import { allowed, type Decision, refuse } from './decision.js';
import { type Grants, grantedPermissions } from './effective-permissions.js';
import type { OrganizationRole } from './organization-roles.js';

/** A proposed change of a user's grants (for a new user, `before` is empty). */
export interface AccessChange {
  actor: ActorFacts;
  organization: Organization;
  catalog: PermissionCatalog;
  /** Every role that exists for the organization (see `organizationRoles`). */
  roles: ReadonlyMap<string, OrganizationRole>;
  before: Grants;
  after: Grants;
}

/**
 * Decides whether the actor may change a user's grants from `before` to
 * `after`. Only what changes is judged, so stored grants that have since
 * become unavailable may stay. In order:
 * 1. an added permission must exist (`PERMISSION_UNAVAILABLE`);
 * 2. an added role must be assignable here (`ROLE_UNAVAILABLE`);
 * 3. operator-only permissions, given or taken directly or through a role, need the operator (`FORBIDDEN`),
 *    even when the user also holds the permission the other way;
 * 4. an added permission must be available to the organization (`PERMISSION_UNAVAILABLE`);
 * 5. dependencies hold both ways: nothing added without what it requires, nothing
 *    required by a kept permission removed (`PERMISSION_DEPENDENCY`).
 */
export function checkAccessChange(change: AccessChange): Decision {
  const { actor, organization, catalog, roles, before, after } = change;
  const addedPermissions = after.permissions.filter((key) => !before.permissions.includes(key));
  const addedRoles = after.roles.filter((key) => !before.roles.includes(key));

  for (const key of addedPermissions) {
    if (!catalog.permissions.has(key)) {
      return refuse('PERMISSION_UNAVAILABLE', `Unknown permission "${key}"`, { permission: key, reason: 'unknown' });
    }
  }
  for (const key of addedRoles) {
    const role = roles.get(key);
    if (!role?.assignable) {
      return refuse('ROLE_UNAVAILABLE', `The role "${key}" cannot be assigned in this organization`, { role: key });
    }
  }

  if (!actsAsPlatform(actor)) {
    const operatorOnly = operatorOnlyChange(change, addedPermissions, addedRoles);
    if (operatorOnly) return operatorOnly;
  }

  for (const key of addedPermissions) {
    const permission = catalog.permissions.get(key);
    if (!permission) continue;
    const availability = permissionAvailability(permission, organization);
    if (!availability.ok) return availability;
  }

  return checkDependencies(catalog, grantedPermissions(before, roles), grantedPermissions(after, roles));
}

/**
 * Operator-only permissions are the operator's to give and take, by either
 * path: a direct grant added or removed, or a role carrying one added or removed.
 */
function operatorOnlyChange(change: AccessChange, addedPermissions: string[], addedRoles: string[]): Decision | null {
  const { catalog, roles, before, after } = change;
  const isOperatorOnly = (key: string) => catalog.permissions.get(key)?.operatorOnly === true;
  const removedPermissions = before.permissions.filter((key) => !after.permissions.includes(key));
  const direct = [...addedPermissions, ...removedPermissions].find(isOperatorOnly);
  if (direct !== undefined) {
    return refuse('FORBIDDEN', `Only the operator may grant or revoke "${direct}"`, { permission: direct });
  }
  const removedRoles = before.roles.filter((key) => !after.roles.includes(key));
  for (const key of [...addedRoles, ...removedRoles]) {
    const carried = roles.get(key)?.permissions.find(isOperatorOnly);
    if (carried !== undefined) {
      return refuse('FORBIDDEN', `Only the operator may give or take the role "${key}": it carries "${carried}"`, {
        role: key,
        permission: carried,
      });
    }
  }
  return null;
}

/**
 * Dependencies in both directions: a permission kept or added needs every
 * permission it requires, unless the pair was already broken before (a catalog
 * change must not block unrelated edits).
 */
export function checkDependencies(
  catalog: PermissionCatalog,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): Decision {
  for (const key of after) {
    for (const required of catalog.permissions.get(key)?.requiresAll ?? []) {
      if (after.has(required)) continue;
      if (!before.has(key) || before.has(required)) {
        const removing = before.has(key) && before.has(required);
        const message = removing
          ? `"${required}" cannot be removed while "${key}" is kept: it requires it`
          : `"${key}" requires "${required}"`;
        return refuse('PERMISSION_DEPENDENCY', message, { permission: key, requires: required });
      }
    }
  }
  return allowed;
}
