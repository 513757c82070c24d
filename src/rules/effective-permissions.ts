import type { PermissionCatalog } from '../catalog.js';
import type { Organization } from '../types.js';
import { isPermissionAvailable } from './availability.js';

/** What a user has been given: direct permissions and roles. */
export interface Grants {
  permissions: readonly string[];
  roles: readonly string[];
}

/** Direct permissions plus the permissions of every known role held (unknown roles add nothing). */
export function grantedPermissions(
  grants: Grants,
  roles: ReadonlyMap<string, { readonly permissions: readonly string[] }>,
): Set<string> {
  const granted = new Set(grants.permissions);
  for (const key of grants.roles) {
    for (const permission of roles.get(key)?.permissions ?? []) granted.add(permission);
  }
  return granted;
}

/**
 * The permissions a user really has, always computed, never stored: every
 * granted permission that the catalog knows, that is available to the
 * organization, and whose requirements are all granted and available too.
 * Removing a company feature therefore disables grants without deleting them.
 */
export function effectivePermissions(
  grants: Grants,
  organization: Organization,
  catalog: PermissionCatalog,
  roles: ReadonlyMap<string, { readonly permissions: readonly string[] }>,
): string[] {
  const granted = grantedPermissions(grants, roles);
  const availability = new Map<string, boolean>();
  const usable = (key: string): boolean => {
    let known = availability.get(key);
    if (known === undefined) {
      const permission = catalog.permissions.get(key);
      known = permission !== undefined && granted.has(key) && isPermissionAvailable(permission, organization);
      availability.set(key, known);
    }
    return known;
  };
  const effective: string[] = [];
  for (const key of granted) {
    if (!usable(key)) continue;
    const requirements = catalog.permissions.get(key)?.requiresAll ?? [];
    if (requirements.every(usable)) effective.push(key);
  }
  return effective.sort();
}
