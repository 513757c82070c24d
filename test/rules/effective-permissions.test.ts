import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Grants } from '../../src/rules/index.js';
import { effectivePermissions, grantedPermissions, isPermissionAvailable } from '../../src/rules/index.js';
import type { Organization } from '../../src/types.js';
import { catalog, customRole, grantsArb, org, organizationArb, rolesOf } from './fixtures.js';

const roles = rolesOf({ allowedRoles: null }, [customRole('auditor', ['reports.view'])]);

function grants(permissions: string[], roleKeys: string[] = []): Grants {
  return { permissions, roles: roleKeys };
}

describe('grantedPermissions', () => {
  it.each<[string, Grants, string[]]>([
    ['nothing granted is nothing', grants([]), []],
    ['direct permissions are granted', grants(['tickets.view', 'org.admin']), ['org.admin', 'tickets.view']],
    ['a role grants its permissions', grants([], ['manager']), ['tickets.edit', 'tickets.view']],
    ['a custom role grants its permissions', grants([], ['auditor']), ['reports.view']],
    ['direct and role permissions are united', grants(['org.admin'], ['basic']), ['org.admin', 'tickets.view']],
    ['overlapping grants count once', grants(['tickets.view'], ['basic', 'manager']), ['tickets.edit', 'tickets.view']],
    ['an unknown role adds nothing', grants(['org.admin'], ['ghost']), ['org.admin']],
    [
      'unknown direct permissions are still granted (filtering is effectivePermissions job)',
      grants(['nope']),
      ['nope'],
    ],
  ])('%s', (_name, given, expected) => {
    expect([...grantedPermissions(given, roles)].sort()).toEqual(expected);
  });
});

const plain = org('plain', { attributes: { version: 10 } });
const estate = org('estate', { features: ['data-estate'], attributes: { version: 10 } });
const oldEstate = org('old', { features: ['data-estate'], attributes: { version: 30 } });
const partner = org('partner', { kind: 'partner', attributes: { reports: { enabled: true } } });

describe('effectivePermissions', () => {
  it.each<[string, Grants, Organization, string[]]>([
    [
      'direct grants the catalog knows are effective',
      grants(['tickets.view', 'org.admin']),
      plain,
      ['org.admin', 'tickets.view'],
    ],
    ['role permissions are effective', grants([], ['manager']), plain, ['tickets.edit', 'tickets.view']],
    [
      'a role supplies what a direct permission requires',
      grants(['tickets.edit'], ['basic']),
      plain,
      ['tickets.edit', 'tickets.view'],
    ],
    ['unknown permissions are dropped', grants(['ghost', 'tickets.view']), plain, ['tickets.view']],
    ['unknown roles add nothing', grants([], ['ghost']), plain, []],
    ['a permission missing its requirement is not effective', grants(['tickets.edit']), plain, []],
    ['a feature permission without the feature is not effective', grants(['instances.manage']), plain, []],
    ['a feature permission with the feature is effective', grants(['instances.manage']), estate, ['instances.manage']],
    [
      'a permission whose requirement lost its feature is not effective either',
      grants(['instances.manage', 'environments.manage']),
      plain,
      [],
    ],
    [
      'a permission and its requirement are effective together',
      grants(['instances.manage', 'environments.manage']),
      estate,
      ['environments.manage', 'instances.manage'],
    ],
    [
      'a failing predicate drops the permission but keeps its requirement',
      grants(['instances.manage', 'environments.manage']),
      oldEstate,
      ['instances.manage'],
    ],
    ['customers.manage is not effective outside a partner', grants(['customers.manage']), plain, []],
    ['customers.manage is effective in a partner', grants(['customers.manage']), partner, ['customers.manage']],
    ['a throwing predicate makes the permission not effective', grants([], ['auditor']), plain, []],
    ['a holding predicate keeps the custom role permission', grants([], ['auditor']), partner, ['reports.view']],
    [
      'an operator-only permission is effective once granted',
      grants([], ['taskfire']),
      plain,
      ['tickets.taskfire', 'tickets.view'],
    ],
    [
      'the result is sorted and without duplicates',
      grants(['tickets.view', 'org.admin'], ['basic', 'manager']),
      plain,
      ['org.admin', 'tickets.edit', 'tickets.view'],
    ],
  ])('%s', (_name, given, organization, expected) => {
    expect(effectivePermissions(given, organization, catalog, roles)).toEqual(expected);
  });

  it('does not read a role grant as a grant of a permission the catalog lacks', () => {
    const odd = rolesOf({ allowedRoles: null }, [customRole('odd', ['legacy.permission', 'tickets.view'])]);
    expect(effectivePermissions(grants([], ['odd']), plain, catalog, odd)).toEqual(['tickets.view']);
  });
});

describe('effectivePermissions properties', () => {
  it('is a subset of the granted permissions, known and available, and closed under requirements', () => {
    fc.assert(
      fc.property(grantsArb, organizationArb, (given, organization) => {
        const effective = effectivePermissions(given, organization, catalog, roles);
        const granted = grantedPermissions(given, roles);
        const set = new Set(effective);
        expect(set.size).toBe(effective.length);
        expect(effective).toEqual([...effective].sort());
        for (const key of effective) {
          expect(granted.has(key)).toBe(true);
          const permission = catalog.permissions.get(key);
          expect(permission).toBeDefined();
          if (!permission) continue;
          expect(isPermissionAvailable(permission, organization)).toBe(true);
          for (const required of permission.requiresAll) expect(set.has(required)).toBe(true);
        }
      }),
    );
  });

  it('leaves out nothing that is granted, known, available and has its requirements effective', () => {
    fc.assert(
      fc.property(grantsArb, organizationArb, (given, organization) => {
        const effective = new Set(effectivePermissions(given, organization, catalog, roles));
        const usable = (key: string) => {
          const permission = catalog.permissions.get(key);
          return !!permission && isPermissionAvailable(permission, organization);
        };
        for (const key of grantedPermissions(given, roles)) {
          const permission = catalog.permissions.get(key);
          const expected = usable(key) && (permission?.requiresAll ?? []).every((r) => effective.has(r));
          expect(effective.has(key)).toBe(expected);
        }
      }),
    );
  });

  it('grows with the grants: granting more never takes an effective permission away', () => {
    fc.assert(
      fc.property(grantsArb, grantsArb, organizationArb, (base, extra, organization) => {
        const before = effectivePermissions(base, organization, catalog, roles);
        const more = {
          permissions: [...base.permissions, ...extra.permissions],
          roles: [...base.roles, ...extra.roles],
        };
        const after = new Set(effectivePermissions(more, organization, catalog, roles));
        for (const key of before) expect(after.has(key)).toBe(true);
      }),
    );
  });
});
