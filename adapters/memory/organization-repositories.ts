import {
  type CustomRole,
  type CustomRoleRepository,
  type Organization,
  type OrganizationRepository,
  roleTakenError,
} from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';
import type { Journal } from './identity-repositories.js';

/** What organizations and their custom roles are kept in. */
export interface OrganizationTables {
  organizations: Map<string, Organization>;
  roles: Map<string, Map<string, CustomRole>>;
}

/** Oldest first, then by id: the order of every listing by creation. */
export const byCreation = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
  a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Organizations and custom roles over the memory tables, inside one transaction. */
export function organizationRepositories(
  tables: OrganizationTables,
  { live, restore }: Journal,
): { organizations: OrganizationRepository; roles: CustomRoleRepository } {
  return {
    organizations: {
      async get(id) {
        live();
        const organization = tables.organizations.get(id);
        return organization ? copy(organization) : null;
      },
      async list(filter) {
        live();
        return [...tables.organizations.values()]
          .filter(
            (organization) =>
              (filter.parentId === undefined || organization.parentId === filter.parentId) &&
              (filter.partnerId === undefined || organization.partnerId === filter.partnerId),
          )
          .sort(byCreation)
          .map(copy);
      },
      async insert(organization) {
        live();
        if (tables.organizations.has(organization.id)) throw new Error('duplicate organization id');
        restore(tables.organizations, organization.id);
        tables.organizations.set(organization.id, copy(organization));
      },
      async update(organization) {
        live();
        if (!tables.organizations.has(organization.id)) throw new Error('unknown organization');
        restore(tables.organizations, organization.id);
        tables.organizations.set(organization.id, copy(organization));
      },
    },
    roles: {
      async list(organizationId) {
        live();
        return [...(tables.roles.get(organizationId)?.values() ?? [])]
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map(copy);
      },
      async get(organizationId, key) {
        live();
        const role = tables.roles.get(organizationId)?.get(key);
        return role ? copy(role) : null;
      },
      async insert(role) {
        live();
        let roles = tables.roles.get(role.organizationId);
        if (roles?.has(role.key)) throw roleTakenError(role.key);
        if (!roles) {
          roles = new Map();
          restore(tables.roles, role.organizationId);
          tables.roles.set(role.organizationId, roles);
        }
        restore(roles, role.key);
        roles.set(role.key, copy(role));
      },
      async delete(organizationId, key) {
        live();
        const roles = tables.roles.get(organizationId);
        if (!roles) return;
        restore(roles, key);
        roles.delete(key);
      },
    },
  };
}
