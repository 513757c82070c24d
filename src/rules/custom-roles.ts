import type { PermissionCatalog, RoleCatalog } from '../catalog.js';
import { allowed, type Decision, refuse } from './decision.js';

/**
 * A custom role must have a key of its own (no standard role's, no other
 * custom role's of the organization), known permissions, and carry every
 * permission its permissions require.
 */
export function checkCustomRole(
  role: { key: string; permissions: readonly string[] },
  catalog: PermissionCatalog,
  standardRoles: RoleCatalog,
  existingCustomKeys: readonly string[],
): Decision {
  if (standardRoles.roles.has(role.key) || existingCustomKeys.includes(role.key)) {
    return refuse('CONFLICT', `A role "${role.key}" already exists`, { role: role.key });
  }
  const permissions = new Set(role.permissions);
  for (const key of permissions) {
    const permission = catalog.permissions.get(key);
    if (!permission) {
      return refuse('PERMISSION_UNAVAILABLE', `Unknown permission "${key}"`, { permission: key, reason: 'unknown' });
    }
    const missing = permission.requiresAll.find((required) => !permissions.has(required));
    if (missing) {
      return refuse('PERMISSION_DEPENDENCY', `"${key}" requires "${missing}"`, { permission: key, requires: missing });
    }
  }
  return allowed;
}
