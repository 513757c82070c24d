import { ORG_ADMIN } from './built-in-permissions.js';
import type { PermissionCatalog } from './catalog.js';
import { TenantryError } from './errors.js';

/** How the host app describes one type of resource its users get access to (instances, jobs, projects). */
export interface ResourceTypeDefinition<PermissionKey extends string = string> {
  label: string;
  description?: string;
  /**
   * The permission whose holders give access to resources of this type in
   * their own organization (a data estate admin for instances). Default
   * `org.admin`; whoever administers the organization may always.
   */
  managedBy?: PermissionKey;
  /** Available only while the organization has this company-level feature (projects, if licensed). */
  feature?: string;
}

/** A resource type as the rules see it. */
export interface ResourceType {
  key: string;
  label: string;
  description?: string;
  managedBy: string;
  feature?: string;
}

/** The host app's resource types, keyed. */
export interface ResourceCatalog<TypeKey extends string = string> {
  readonly keys: readonly TypeKey[];
  readonly types: ReadonlyMap<string, ResourceType>;
}

const KEY = /^[A-Za-z0-9][\w.:-]{0,99}$/;

function configError(message: string, details: Record<string, unknown>): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, details);
}

/**
 * Declares the resource types, type-checked against the permission catalog
 * like roles: a `managedBy` that is not a permission of the catalog fails
 * (at compile time, and at definition), as does a malformed key or feature.
 *
 * @example
 * ```ts
 * const resources = defineResources(permissions, {
 *   instance: { label: 'Instances', managedBy: 'instances.manage' },
 *   job: { label: 'Jobs' },
 *   project: { label: 'Projects', feature: 'projects' },
 * });
 * ```
 */
export function defineResources<
  PermissionKey extends string,
  const Types extends Record<string, ResourceTypeDefinition<PermissionKey>>,
>(catalog: PermissionCatalog<PermissionKey>, definitions: Types): ResourceCatalog<Extract<keyof Types, string>> {
  const types = new Map<string, ResourceType>();
  for (const [key, definition] of Object.entries(definitions as Record<string, ResourceTypeDefinition>)) {
    if (!KEY.test(key)) throw configError(`Invalid resource type "${key}"`, { type: key });
    // An import file's header names types without regard to case.
    if ([...types.keys()].some((known) => known.toLowerCase() === key.toLowerCase()))
      throw configError(`Resource types "${key}" and another differ only in case`, { type: key });
    const managedBy = definition.managedBy ?? ORG_ADMIN;
    if (!catalog.permissions.has(managedBy)) {
      throw configError(`Resource type "${key}" is managed by unknown permission "${managedBy}"`, {
        type: key,
        managedBy,
      });
    }
    if (definition.feature !== undefined && !KEY.test(definition.feature)) {
      throw configError(`Resource type "${key}": invalid feature "${definition.feature}"`, { type: key });
    }
    types.set(key, Object.freeze({ ...definition, key, managedBy }));
  }
  return Object.freeze({ keys: Object.freeze([...types.keys()]) as readonly never[], types });
}

/** No resource types: the default. */
export const noResources: ResourceCatalog = Object.freeze({ keys: [], types: new Map() });
