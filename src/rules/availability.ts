import type { CatalogPermission, PermissionCatalog } from '../catalog.js';
import type { Organization } from '../types.js';
import { allowed, type Decision, refuse } from './decision.js';

/**
 * Whether an organization can have a permission at all: its company-level
 * feature is enabled, it is a partner where the permission is partner-only, and
 * the host app's `availableWhen` predicate holds (a predicate that throws counts as false).
 */
export function permissionAvailability(permission: CatalogPermission, organization: Organization): Decision {
  if (permission.feature !== undefined && !organization.features.includes(permission.feature)) {
    return refuse('PERMISSION_UNAVAILABLE', `"${permission.key}" needs the company feature "${permission.feature}"`, {
      permission: permission.key,
      reason: 'feature',
      feature: permission.feature,
    });
  }
  if (permission.partnerOnly && organization.kind !== 'partner') {
    return refuse('PERMISSION_UNAVAILABLE', `"${permission.key}" is only available to partners`, {
      permission: permission.key,
      reason: 'partner-only',
    });
  }
  if (permission.availableWhen && !safePredicate(permission.availableWhen, organization)) {
    return refuse('PERMISSION_UNAVAILABLE', `"${permission.key}" is not available to this organization`, {
      permission: permission.key,
      reason: 'condition',
    });
  }
  return allowed;
}

/** Boolean form of {@link permissionAvailability}. */
export function isPermissionAvailable(permission: CatalogPermission, organization: Organization): boolean {
  return permissionAvailability(permission, organization).ok;
}

function safePredicate(predicate: (organization: Organization) => boolean, organization: Organization): boolean {
  try {
    return predicate(organization) === true;
  } catch {
    return false;
  }
}

/** A permission of the catalog as it stands for one organization and one actor: what an access editor shows. */
export interface PermissionChoice {
  key: string;
  label: string;
  description: string | null;
  /** Every permission it needs, transitively. */
  requires: string[];
  operatorOnly: boolean;
  /** Whether the organization may have it (its feature, partner kind and predicate). */
  available: boolean;
  /** Whether this actor may grant or revoke it there: available, and not the operator's alone unless they are. */
  grantable: boolean;
}

/** The catalog's permissions, in catalog order, as choices for `actor` in `organization`. */
export function permissionChoices(
  catalog: PermissionCatalog,
  organization: Organization,
  actorIsPlatform: boolean,
): PermissionChoice[] {
  return [...catalog.permissions.values()].map((permission) => {
    const available = isPermissionAvailable(permission, organization);
    const operatorOnly = permission.operatorOnly === true;
    return {
      key: permission.key,
      label: permission.label,
      description: permission.description ?? null,
      requires: [...permission.requiresAll],
      operatorOnly,
      available,
      grantable: available && (actorIsPlatform || !operatorOnly),
    };
  });
}
