import fc from 'fast-check';
import { definePermissions, defineRoles } from '../../src/catalog.js';
import type { ActorFacts } from '../../src/rules/index.js';
import { organizationRoles } from '../../src/rules/index.js';
import { organizationRecord, userRecord } from '../../src/testing/index.js';
import type { CustomRole, Organization, User, UserStatus } from '../../src/types.js';

/** A fixed instant, so nothing depends on the clock. */
export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const T1 = new Date('2026-01-02T00:00:00.000Z');

/** The catalog of the domain design, plus `reports.view` whose predicate throws without `attributes.reports`. */
export const catalog = definePermissions({
  'org.admin': { label: 'Company admin' },
  'customers.manage': { label: 'Customer manager', partnerOnly: true },
  'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
  'environments.manage': {
    label: 'Environment admin',
    requires: ['instances.manage'],
    availableWhen: (org) => Number(org.attributes.version ?? 0) <= 20,
  },
  'tickets.view': { label: 'View tickets' },
  'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
  'tickets.taskfire': { label: 'Taskfire', operatorOnly: true },
  'reports.view': {
    label: 'View reports',
    availableWhen: (org) => (org.attributes.reports as { enabled: boolean }).enabled,
  },
});

export const standardRoles = defineRoles(catalog, {
  basic: { label: 'Basic', permissions: ['tickets.view'] },
  manager: { label: 'Manager', permissions: ['tickets.view', 'tickets.edit'] },
  taskfire: { label: 'Taskfire', permissions: ['tickets.view', 'tickets.taskfire'] },
});

export const permissionKeys: readonly string[] = catalog.keys;
export const roleKeys: readonly string[] = standardRoles.keys;

/** An organization with every field set; override what the case is about. */
export function org(id: string, overrides: Partial<Organization> = {}): Organization {
  return organizationRecord({
    id,
    name: `Organization ${id}`,
    profile: {
      phone: '+49 30 123456',
      website: `https://${id}.example`,
      addresses: { legal: { line1: 'Main Street 1', city: 'Berlin', postalCode: '10115', country: 'DE' } },
    },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  });
}

/** A user with every field set (an active, activated, signed-in user); override what the case is about. */
export function user(id: string, overrides: Partial<User> = {}): User {
  return userRecord('org', {
    id,
    email: `${id}@example.com`,
    lastName: id,
    preferences: { locale: 'en', timeZone: 'Europe/Berlin' },
    termsAcceptedAt: T0,
    createdAt: T0,
    updatedAt: T0,
    activatedAt: T0,
    lastSignInAt: T0,
    ...overrides,
  });
}

export const operator: ActorFacts = { type: 'operator' };
export const system: ActorFacts = { type: 'system' };

/** A user acting from `organizationId` with these effective permissions. */
export function actor(organizationId: string, permissions: readonly string[] = [], userId = 'actor'): ActorFacts {
  return { type: 'user', userId, organizationId, permissions: new Set(permissions) };
}

/** The roles of an organization: the standard ones plus its custom roles. */
export function rolesOf(organization: Pick<Organization, 'allowedRoles'>, custom: readonly CustomRole[] = []) {
  return organizationRoles(organization, standardRoles, custom);
}

export function customRole(key: string, permissions: string[], organizationId = 'org'): CustomRole {
  return { organizationId, key, label: key, permissions, createdAt: T0 };
}

/**
 * A small tenant forest:
 * P (partner) ─ Ps (P's own sub-organization)
 * C1 (customer of P) ─ C1a ─ C1a1;  C2 (customer of P)
 * Q (another partner) ─ D (customer of Q);  S (standalone company) ─ Sa
 */
export const forest: ReadonlyMap<string, Organization> = new Map(
  [
    org('P', { kind: 'partner' }),
    org('Ps', { parentId: 'P' }),
    org('C1', { partnerId: 'P' }),
    org('C1a', { parentId: 'C1' }),
    org('C1a1', { parentId: 'C1a' }),
    org('C2', { partnerId: 'P' }),
    org('Q', { kind: 'partner' }),
    org('D', { partnerId: 'Q' }),
    org('S'),
    org('Sa', { parentId: 'S' }),
  ].map((organization) => [organization.id, organization]),
);

/** The organization, then its ancestors up to the root (stops on a cycle). */
export function chainOf(organizations: ReadonlyMap<string, Organization>, id: string): Organization[] {
  const chain: Organization[] = [];
  let current = organizations.get(id);
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = current.parentId === null ? undefined : organizations.get(current.parentId);
  }
  return chain;
}

/** Looks up a forest organization, failing loudly on a typo. */
export function inForest(id: string): Organization {
  const found = forest.get(id);
  if (!found) throw new Error(`No organization ${id} in the fixture forest`);
  return found;
}

export const statuses: readonly UserStatus[] = ['pending', 'active', 'disabled'];

/** Random grants over the catalog and the standard roles, with some unknown keys mixed in. */
export const grantsArb = fc.record({
  permissions: fc.subarray([...permissionKeys, 'ghost.permission']),
  roles: fc.subarray([...roleKeys, 'ghost-role']),
});

/** Random organizations across kinds, features, and what the predicates read. */
export const organizationArb = fc
  .record({
    kind: fc.constantFrom<Organization['kind']>('standard', 'partner'),
    features: fc.subarray(['data-estate', 'other-feature']),
    allowedRoles: fc.option(fc.subarray([...roleKeys]), { nil: null }),
    version: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    reports: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ kind, features, allowedRoles, version, reports }) =>
    org('org', {
      kind,
      features,
      allowedRoles,
      attributes: {
        ...(version === undefined ? {} : { version }),
        ...(reports === undefined ? {} : { reports: { enabled: reports } }),
      },
    }),
  );
