import { CUSTOMERS_MANAGE, ORG_ADMIN } from './built-in-permissions.js';
import { TenantryError } from './errors.js';
import type { Organization } from './types.js';

export { CUSTOMERS_MANAGE, ORG_ADMIN };

/** How the host app describes one permission. */
export interface PermissionDefinition<Key extends string = string> {
  label: string;
  description?: string;
  /** Permissions this one needs (transitively); granting without them is refused. */
  requires?: readonly Key[];
  /** Available only while the user's organization has this company-level feature. */
  feature?: string;
  /** Grantable only in `partner` organizations. */
  partnerOnly?: boolean;
  /** Only the operator may grant or revoke it. */
  operatorOnly?: boolean;
  /** A pure predicate on the organization; false = not available there. */
  availableWhen?: (organization: Organization) => boolean;
}

/** A permission as the rules see it: its definition plus every permission it needs, transitively. */
export interface CatalogPermission extends PermissionDefinition<string> {
  key: string;
  requiresAll: readonly string[];
}

/** The host app's permission catalog, with the built-ins always present. */
export interface PermissionCatalog<Key extends string = string> {
  readonly keys: readonly Key[];
  readonly permissions: ReadonlyMap<string, CatalogPermission>;
}

/** A standard role: a named bundle of permissions defined in code. */
export interface RoleDefinition<Key extends string = string> {
  label: string;
  description?: string;
  permissions: readonly Key[];
}

/** The standard roles, keyed. */
export interface RoleCatalog<RoleKey extends string = string> {
  readonly keys: readonly RoleKey[];
  readonly roles: ReadonlyMap<
    string,
    { key: string; label: string; description?: string; permissions: readonly string[] }
  >;
}

/** The keys of the built-in permissions. */
export type BuiltInKey = typeof ORG_ADMIN | typeof CUSTOMERS_MANAGE;

const builtIns: Record<BuiltInKey, PermissionDefinition> = {
  [ORG_ADMIN]: { label: 'Company admin' },
  [CUSTOMERS_MANAGE]: { label: 'Customer manager', partnerOnly: true },
};

function configError(message: string, details: Record<string, unknown>): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, details);
}

function requiresClosure(key: string, definitions: Record<string, PermissionDefinition>): string[] {
  const seen = new Set<string>();
  const requiresOf = (name: string) => (Object.hasOwn(definitions, name) ? (definitions[name]?.requires ?? []) : []);
  const stack = [...requiresOf(key)];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (next === key) throw configError(`Permission "${key}" requires itself`, { permission: key });
    if (seen.has(next)) continue;
    if (!Object.hasOwn(definitions, next)) {
      throw configError(`Permission "${key}" requires unknown "${next}"`, { permission: key, requires: next });
    }
    seen.add(next);
    stack.push(...requiresOf(next));
  }
  return [...seen].sort();
}

/**
 * Declares the host app's permissions. `org.admin` and `customers.manage` are
 * always added with their built-in meaning; the app may relabel them but not
 * restrict them.
 *
 * @example
 * ```ts
 * const permissions = definePermissions({
 *   'tickets.view': { label: 'View tickets' },
 *   'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
 *   'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
 * });
 * ```
 */
export function definePermissions<const Key extends string>(
  definitions: Record<Key, PermissionDefinition<NoInfer<Key> | BuiltInKey>>,
): PermissionCatalog<Key | BuiltInKey> {
  const all: Record<string, PermissionDefinition> = { ...builtIns };
  for (const [key, definition] of Object.entries(definitions as Record<string, PermissionDefinition>)) {
    if (!/^[A-Za-z0-9][\w.:-]{0,99}$/.test(key))
      throw configError(`Invalid permission key "${key}"`, { permission: key });
    const builtIn = Object.hasOwn(builtIns, key) ? builtIns[key as BuiltInKey] : undefined;
    if (builtIn) {
      const { label, description } = definition;
      all[key] = { ...builtIn, label, ...(description === undefined ? {} : { description }) };
      if (definition.requires?.length || definition.feature || definition.operatorOnly || definition.availableWhen) {
        throw configError(`Built-in permission "${key}" cannot be restricted`, { permission: key });
      }
      continue;
    }
    all[key] = definition;
  }
  const permissions = new Map<string, CatalogPermission>();
  for (const [key, definition] of Object.entries(all)) {
    permissions.set(key, Object.freeze({ ...definition, key, requiresAll: Object.freeze(requiresClosure(key, all)) }));
  }
  return Object.freeze({ keys: Object.freeze([...permissions.keys()]) as readonly never[], permissions });
}

/**
 * Declares the standard roles, type-checked against the permission catalog.
 * A role must carry every permission its permissions require.
 *
 * @example
 * ```ts
 * const roles = defineRoles(permissions, {
 *   basic: { label: 'Basic', permissions: ['tickets.view'] },
 *   manager: { label: 'Manager', permissions: ['tickets.view', 'tickets.edit'] },
 * });
 * ```
 */
export function defineRoles<
  PermissionKey extends string,
  const Roles extends Record<string, RoleDefinition<PermissionKey>>,
>(catalog: PermissionCatalog<PermissionKey>, definitions: Roles): RoleCatalog<Extract<keyof Roles, string>> {
  const roles = new Map<string, { key: string; label: string; description?: string; permissions: readonly string[] }>();
  for (const [key, definition] of Object.entries(definitions as Record<string, RoleDefinition>)) {
    if (!/^[A-Za-z0-9][\w.:-]{0,99}$/.test(key)) throw configError(`Invalid role key "${key}"`, { role: key });
    const missing = missingRequirements(catalog, definition.permissions);
    if (missing) throw configError(`Role "${key}": ${missing.message}`, { role: key, ...missing.details });
    roles.set(
      key,
      Object.freeze({ ...definition, key, permissions: Object.freeze([...new Set(definition.permissions)]) }),
    );
  }
  return Object.freeze({ keys: Object.freeze([...roles.keys()]) as readonly never[], roles });
}

/** The first gap in a bundle of permissions: an unknown key, or a key whose requirement is missing. */
export type PermissionGap = { permission: string; requires?: undefined } | { permission: string; requires: string };

/** Finds the first {@link PermissionGap} of a bundle, or null when the bundle is self-contained. */
export function firstPermissionGap(catalog: PermissionCatalog, permissions: readonly string[]): PermissionGap | null {
  const set = new Set(permissions);
  for (const key of set) {
    const permission = catalog.permissions.get(key);
    if (!permission) return { permission: key };
    const missing = permission.requiresAll.find((required) => !set.has(required));
    if (missing) return { permission: key, requires: missing };
  }
  return null;
}

/** Why a bundle of permissions is not self-contained, or null when it is (unknown keys included). */
export function missingRequirements(
  catalog: PermissionCatalog,
  permissions: readonly string[],
): { message: string; details: Record<string, string> } | null {
  const gap = firstPermissionGap(catalog, permissions);
  if (!gap) return null;
  if (gap.requires === undefined) {
    return { message: `unknown permission "${gap.permission}"`, details: { permission: gap.permission } };
  }
  return { message: `"${gap.permission}" requires "${gap.requires}"`, details: { ...gap } };
}
