import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrganizationAccess } from '../../src/rules/index.js';
import { checkUserChange, organizationAccess, requireAccess, userReadAccess } from '../../src/rules/index.js';
import type { Organization } from '../../src/types.js';
import { actor, chainOf, forest, operator, org, system } from './fixtures.js';

const ADMIN = ['org.admin'];
const MANAGER = ['customers.manage'];
const BOTH = ['org.admin', 'customers.manage'];

describe('organizationAccess', () => {
  it.each<[string, string, readonly string[], string, OrganizationAccess]>([
    ['an org admin administers their own organization', 'C1', ADMIN, 'C1', 'administer'],
    ['an org admin administers a direct sub-organization', 'C1', ADMIN, 'C1a', 'administer'],
    ['an org admin administers a sub-organization at any depth', 'C1', ADMIN, 'C1a1', 'administer'],
    ['an org admin of a sub-organization has no access to its parent', 'C1a', ADMIN, 'C1', 'none'],
    ['an org admin has no access to a sibling customer', 'C1', ADMIN, 'C2', 'none'],
    ['an org admin of a customer sees nothing of the partner serving it', 'C1', ADMIN, 'P', 'none'],
    ['a partner admin does not administer the partner customers', 'P', ADMIN, 'C1', 'none'],
    ['a partner admin administers the partner own sub-organization', 'P', ADMIN, 'Ps', 'administer'],
    ['a customer manager administers a customer of their partner', 'P', MANAGER, 'C1', 'administer'],
    ['a customer manager administers every customer of their partner', 'P', MANAGER, 'C2', 'administer'],
    ['a customer manager administers a customer sub-organization', 'P', MANAGER, 'C1a', 'administer'],
    ['a customer manager administers a customer sub-organization at any depth', 'P', MANAGER, 'C1a1', 'administer'],
    ['a customer manager cannot administer their own partner organization', 'P', MANAGER, 'P', 'member'],
    ['a customer manager has no access to their partner own sub-organization', 'P', MANAGER, 'Ps', 'none'],
    ['a customer manager has no access to another partner', 'P', MANAGER, 'Q', 'none'],
    ['a customer manager has no access to another partner customers', 'P', MANAGER, 'D', 'none'],
    ['a customer manager has no access to a standalone company', 'P', MANAGER, 'S', 'none'],
    ['an admin and customer manager administers their own partner', 'P', BOTH, 'P', 'administer'],
    ['an admin and customer manager administers the partner customers', 'P', BOTH, 'C1a', 'administer'],
    ['a plain user is a member of their own organization', 'C1', [], 'C1', 'member'],
    ['a plain user has no access to a sub-organization of their own', 'C1', [], 'C1a', 'none'],
    ['a plain user has no access to another tenant', 'C1', [], 'S', 'none'],
    ['a plain partner user has no access to the partner customers', 'P', [], 'C1', 'none'],
    ['a user of a sub-organization is only a member there', 'C1a', [], 'C1a', 'member'],
    ['an unrelated permission does not widen access', 'S', ['tickets.edit', 'tickets.view'], 'Sa', 'none'],
  ])('%s', (_name, home, permissions, target, expected) => {
    expect(organizationAccess(actor(home, permissions), chainOf(forest, target))).toBe(expected);
  });

  it.each([
    ['the operator', operator],
    ['a system job', system],
  ])('%s administers every organization', (_name, platform) => {
    for (const id of forest.keys()) expect(organizationAccess(platform, chainOf(forest, id))).toBe('administer');
  });

  it('a user has no access to an empty chain (nothing was found)', () => {
    expect(organizationAccess(actor('C1', BOTH), [])).toBe('none');
  });
});

describe('requireAccess', () => {
  it.each<[string, OrganizationAccess, 'administer' | 'member', string | null]>([
    ['no access is NOT_FOUND even when only membership is needed', 'none', 'member', 'NOT_FOUND'],
    ['no access is NOT_FOUND when administration is needed', 'none', 'administer', 'NOT_FOUND'],
    ['a member who must administer is FORBIDDEN', 'member', 'administer', 'FORBIDDEN'],
    ['a member may do what members may', 'member', 'member', null],
    ['an administrator may administer', 'administer', 'administer', null],
    ['an administrator may do what members may', 'administer', 'member', null],
  ])('%s', (_name, access, needed, code) => {
    const decision = requireAccess(access, needed);
    expect(decision.ok ? null : decision.code).toBe(code);
  });
});

describe('userReadAccess', () => {
  it.each<[string, Parameters<typeof userReadAccess>[0], string, OrganizationAccess, string | null]>([
    ['a user may always read themselves, even without access', actor('C1', [], 'u1'), 'u1', 'none', null],
    ['a member may read themselves', actor('C1', [], 'u1'), 'u1', 'member', null],
    ['a member may not read a colleague', actor('C1', [], 'u1'), 'u2', 'member', 'FORBIDDEN'],
    ['a user may not read someone of another tenant', actor('C1', ADMIN, 'u1'), 'u2', 'none', 'NOT_FOUND'],
    ['an administrator may read the users they administer', actor('C1', ADMIN, 'u1'), 'u2', 'administer', null],
    ['the operator may read anyone it administers', operator, 'u2', 'administer', null],
  ])('%s', (_name, who, target, access, code) => {
    const decision = userReadAccess(who, target, access);
    expect(decision.ok ? null : decision.code).toBe(code);
  });
});

describe('checkUserChange', () => {
  it.each<[string, Parameters<typeof checkUserChange>[0], string, string, 'access' | 'profile', string | null]>([
    ['an admin may change a colleague', actor('C1', ADMIN, 'u1'), 'u2', 'C1', 'access', null],
    ['an admin may change a user of a sub-organization', actor('C1', ADMIN, 'u1'), 'u2', 'C1a', 'access', null],
    ['an admin may not change their own access', actor('C1', ADMIN, 'u1'), 'u1', 'C1', 'access', 'SELF_MODIFICATION'],
    ['a user may change their own profile', actor('C1', [], 'u1'), 'u1', 'C1', 'profile', null],
    ['a member may not change a colleague', actor('C1', [], 'u1'), 'u2', 'C1', 'profile', 'FORBIDDEN'],
    ['a customer manager may not change a colleague', actor('P', MANAGER, 'u1'), 'u2', 'P', 'access', 'FORBIDDEN'],
    ['a customer manager may change a customer user', actor('P', MANAGER, 'u1'), 'u2', 'C1', 'access', null],
    ['nobody learns of another tenant’s users', actor('C1', BOTH, 'u1'), 'u2', 'C2', 'profile', 'NOT_FOUND'],
    ['the operator may change anyone', operator, 'u2', 'D', 'access', null],
  ])('%s', (_name, who, target, organizationId, change, code) => {
    const decision = checkUserChange(who, target, chainOf(forest, organizationId), change);
    expect(decision.ok ? null : decision.code).toBe(code);
  });
});

/** A random forest: parents always come earlier (no cycles); partnerIds name partner organizations. */
const scenarioArb = fc
  .integer({ min: 1, max: 9 })
  .chain((size) =>
    fc.record({
      kinds: fc.array(fc.constantFrom<Organization['kind']>('standard', 'partner'), {
        minLength: size,
        maxLength: size,
      }),
      parents: fc.array(fc.nat(), { minLength: size, maxLength: size }),
      hasParent: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
      partners: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: size, maxLength: size }),
      home: fc.nat({ max: size - 1 }),
      target: fc.nat({ max: size - 1 }),
      permissions: fc.subarray(['org.admin', 'customers.manage', 'tickets.view']),
    }),
  )
  .map(({ kinds, parents, hasParent, partners, home, target, permissions }) => {
    const ids = kinds.map((_kind, index) => `o${index}`);
    const partnerIds = ids.filter((_id, index) => kinds[index] === 'partner');
    const organizations = new Map<string, Organization>();
    kinds.forEach((kind, index) => {
      const parent = index > 0 && hasParent[index] ? ids[(parents[index] ?? 0) % index] : undefined;
      const partner = partners[index];
      const partnerId = partner === null || partner === undefined ? undefined : partnerIds[partner % partnerIds.length];
      const id = ids[index] ?? '';
      organizations.set(id, org(id, { kind, parentId: parent ?? null, partnerId: partnerId ?? null }));
    });
    return { organizations, home: ids[home] ?? '', target: ids[target] ?? '', permissions };
  });

/** Every organization at or below `root`, by following parentId downwards. */
function subtree(organizations: ReadonlyMap<string, Organization>, root: string): Set<string> {
  const reached = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const organization of organizations.values()) {
      if (organization.parentId !== null && reached.has(organization.parentId) && !reached.has(organization.id)) {
        reached.add(organization.id);
        grew = true;
      }
    }
  }
  return reached;
}

describe('organizationAccess properties', () => {
  it('agrees with the scope rules read top-down, for any forest and any user', () => {
    fc.assert(
      fc.property(scenarioArb, ({ organizations, home, target, permissions }) => {
        const access = organizationAccess(actor(home, permissions), chainOf(organizations, target));
        const administered = new Set<string>();
        if (permissions.includes('org.admin')) for (const id of subtree(organizations, home)) administered.add(id);
        if (permissions.includes('customers.manage')) {
          for (const customer of organizations.values()) {
            if (customer.partnerId !== home) continue;
            for (const id of subtree(organizations, customer.id)) if (id !== home) administered.add(id);
          }
        }
        const expected = administered.has(target) ? 'administer' : target === home ? 'member' : 'none';
        expect(access).toBe(expected);
      }),
    );
  });

  it('never lets a customer manager without org.admin administer their own organization', () => {
    fc.assert(
      fc.property(scenarioArb, ({ organizations, home }) => {
        expect(organizationAccess(actor(home, MANAGER), chainOf(organizations, home))).toBe('member');
      }),
    );
  });

  it('answers none exactly when the target is neither home nor reachable by the rules', () => {
    fc.assert(
      fc.property(scenarioArb, ({ organizations, home, target, permissions }) => {
        const access = organizationAccess(actor(home, permissions), chainOf(organizations, target));
        const reachable =
          (permissions.includes('org.admin') && subtree(organizations, home).has(target)) ||
          (permissions.includes('customers.manage') &&
            [...organizations.values()].some((c) => c.partnerId === home && subtree(organizations, c.id).has(target)));
        expect(access === 'none').toBe(target !== home && !reachable);
      }),
    );
  });

  it('never lowers access when a user gains permissions', () => {
    const rank: Record<OrganizationAccess, number> = { none: 0, member: 1, administer: 2 };
    fc.assert(
      fc.property(scenarioArb, fc.subarray(BOTH), ({ organizations, home, target, permissions }, extra) => {
        const chain = chainOf(organizations, target);
        const fewer = organizationAccess(actor(home, permissions), chain);
        const more = organizationAccess(actor(home, [...permissions, ...extra]), chain);
        expect(rank[more]).toBeGreaterThanOrEqual(rank[fewer]);
      }),
    );
  });
});
