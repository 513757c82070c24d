import { firstPermissionGap, type PermissionCatalog, type RoleCatalog } from '../catalog.js';
import { roleTakenMessage } from '../errors.js';
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
    return refuse('CONFLICT', roleTakenMessage(role.key), { role: role.key });
  }
  const gap = firstPermissionGap(catalog, role.permissions);
  if (!gap) return allowed;
  const { permission, requires } = gap;
  if (requires === undefined) {
    return refuse('PERMISSION_UNAVAILABLE', `Unknown permission "${permission}"`, { permission, reason: 'unknown' });
  }
  return refuse('PERMISSION_DEPENDENCY', `"${permission}" requires "${requires}"`, { permission, requires });
}
