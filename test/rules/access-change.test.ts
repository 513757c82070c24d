import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActorFacts, Grants } from '../../src/rules/index.js';
import { checkAccessChange, grantedPermissions, isPermissionAvailable } from '../../src/rules/index.js';
import type { CustomRole, Organization } from '../../src/types.js';
import { actor, catalog, customRole, grantsArb, operator, org, organizationArb, rolesOf, system } from './fixtures.js';

const admin = actor('org', ['org.admin']);
const estate = org('org', { features: ['data-estate'], attributes: { version: 10 } });
const plain = org('org', { attributes: { version: 10 } });
const oldEstate = org('org', { features: ['data-estate'], attributes: { version: 30 } });
const partner = org('org', { kind: 'partner' });
const basicOnly = org('org', { allowedRoles: ['basic'] });
const customs: CustomRole[] = [
  customRole('auditor', ['tickets.view']),
  customRole('firefighter', ['tickets.taskfire']),
];

const organizations: Record<string, Organization> = { estate, plain, oldEstate, partner, basicOnly };
const actors: Record<string, ActorFacts> = { admin, operator, system };

/** 'tickets.edit @basic' = the direct permission tickets.edit and the role basic. */
function g(spec = ''): Grants {
  const words = spec.split(/\s+/).filter(Boolean);
  return {
    permissions: words.filter((w) => !w.startsWith('@')),
    roles: words.filter((w) => w.startsWith('@')).map((w) => w.slice(1)),
  };
}

/** `setting` is 'who' or 'who/where' (default: an admin, in an organization with data-estate and version 10). */
function decide(setting: string, before: string, after: string) {
  const [who = 'admin', where = 'estate'] = setting.split('/');
  const organization = organizations[where];
  const by = actors[who];
  if (!organization || !by) throw new Error(`Unknown setting ${setting}`);
  const roles = rolesOf(organization, customs);
  return checkAccessChange({
    actor: by,
    organization,
    catalog,
    roles,
    before: g(before),
    after: g(after),
  });
}

describe('checkAccessChange', () => {
  it.each<[string, string, string, string, string | null]>([
    ['an admin may add a plain permission', 'admin', '', 'tickets.view', null],
    ['an admin may add an assignable role', 'admin', '', '@manager', null],
    ['an admin may remove what nothing kept requires', 'admin', 'org.admin @manager', '', null],
    // 1. the permission exists
    ['an unknown permission cannot be added', 'admin', '', 'tickets.nope', 'PERMISSION_UNAVAILABLE'],
    ['the operator cannot add an unknown permission either', 'operator', '', 'nope', 'PERMISSION_UNAVAILABLE'],
    ['a stored unknown permission may stay', 'admin', 'legacy', 'legacy tickets.view', null],
    // 2. the role is assignable
    ['a role outside allowedRoles cannot be added', 'admin/basicOnly', '', '@manager', 'ROLE_UNAVAILABLE'],
    ['a role inside allowedRoles can be added', 'admin/basicOnly', '', '@basic', null],
    ['an unknown role cannot be added', 'admin', '', '@ghost', 'ROLE_UNAVAILABLE'],
    ['the operator cannot add an unknown role either', 'operator', '', '@ghost', 'ROLE_UNAVAILABLE'],
    ['a held role outside allowedRoles may stay', 'admin/basicOnly', '@manager', 'org.admin @manager', null],
    ['a custom role is assignable whatever allowedRoles says', 'admin/basicOnly', '', '@auditor', null],
    // 3. operator-only permissions, directly or through a role
    ['an admin cannot grant an operator-only permission', 'admin', '', 'tickets.taskfire', 'FORBIDDEN'],
    ['an admin cannot revoke an operator-only permission', 'admin', 'tickets.taskfire', '', 'FORBIDDEN'],
    ['an admin cannot give a role carrying an operator-only permission', 'admin', '', '@taskfire', 'FORBIDDEN'],
    ['an admin cannot take a role carrying an operator-only permission', 'admin', '@taskfire', '', 'FORBIDDEN'],
    [
      'an admin cannot give a custom role carrying an operator-only permission',
      'admin',
      '',
      '@firefighter',
      'FORBIDDEN',
    ],
    [
      'an admin cannot give a role carrying an operator-only permission even when the user holds it directly',
      'admin',
      'tickets.taskfire',
      'tickets.taskfire @taskfire',
      'FORBIDDEN',
    ],
    [
      'an admin cannot revoke a direct operator-only grant even when a role still carries it',
      'admin',
      'tickets.taskfire @taskfire',
      '@taskfire',
      'FORBIDDEN',
    ],
    [
      'an admin may change other grants of a user holding an operator-only role',
      'admin',
      '@taskfire',
      'org.admin @taskfire',
      null,
    ],
    ['the operator may grant an operator-only permission', 'operator', '', 'tickets.taskfire', null],
    ['the operator may give a role carrying an operator-only permission', 'operator', '', '@taskfire', null],
    ['the operator may take a role carrying an operator-only permission', 'operator', '@taskfire', '', null],
    ['a system job acts with the operator rights', 'system', '', '@taskfire', null],
    // 4. added permissions are available
    [
      'a feature permission cannot be added without the feature',
      'admin/plain',
      '',
      'instances.manage',
      'PERMISSION_UNAVAILABLE',
    ],
    ['a feature permission can be added with the feature', 'admin', '', 'instances.manage', null],
    [
      'the operator cannot add an unavailable permission either',
      'operator/plain',
      '',
      'instances.manage',
      'PERMISSION_UNAVAILABLE',
    ],
    ['customers.manage cannot be added outside a partner', 'admin', '', 'customers.manage', 'PERMISSION_UNAVAILABLE'],
    ['customers.manage can be added in a partner', 'admin/partner', '', 'customers.manage', null],
    [
      'a permission whose predicate fails cannot be added',
      'admin/oldEstate',
      'instances.manage',
      'instances.manage environments.manage',
      'PERMISSION_UNAVAILABLE',
    ],
    ['a permission whose predicate throws cannot be added', 'admin', '', 'reports.view', 'PERMISSION_UNAVAILABLE'],
    [
      'a stored grant that became unavailable may stay',
      'admin/plain',
      'instances.manage',
      'instances.manage tickets.view',
      null,
    ],
    ['a stored grant that became unavailable may be removed', 'admin/plain', 'instances.manage', '', null],
    // 5. dependencies, both ways
    ['a permission cannot be added without what it requires', 'admin', '', 'tickets.edit', 'PERMISSION_DEPENDENCY'],
    ['a permission can be added together with what it requires', 'admin', '', 'tickets.view tickets.edit', null],
    ['a role can supply what a direct permission requires', 'admin', '', 'tickets.edit @basic', null],
    ['a transitive requirement is needed too', 'admin', '', 'environments.manage', 'PERMISSION_DEPENDENCY'],
    [
      'a requirement cannot be removed while a kept permission needs it',
      'admin',
      'tickets.view tickets.edit',
      'tickets.edit',
      'PERMISSION_DEPENDENCY',
    ],
    [
      'a role supplying a requirement cannot go while the permission stays',
      'admin',
      'tickets.edit @basic',
      'tickets.edit',
      'PERMISSION_DEPENDENCY',
    ],
    [
      'a direct requirement may go while a role still supplies it',
      'admin',
      'tickets.view tickets.edit @basic',
      'tickets.edit @basic',
      null,
    ],
    ['a permission and its requirement may be removed together', 'admin', 'tickets.view tickets.edit', '', null],
    ['an already broken pair does not block unrelated edits', 'admin', 'tickets.edit', 'tickets.edit org.admin', null],
    // the order of the checks
    [
      'an unknown permission is reported before an unassignable role',
      'admin/basicOnly',
      '',
      'nope @manager',
      'PERMISSION_UNAVAILABLE',
    ],
    [
      'an unassignable role is reported before an operator-only grant',
      'admin/basicOnly',
      '',
      '@taskfire',
      'ROLE_UNAVAILABLE',
    ],
    [
      'an operator-only grant is reported before an unavailable one',
      'admin/plain',
      '',
      'tickets.taskfire instances.manage',
      'FORBIDDEN',
    ],
    [
      'availability is reported before a missing requirement',
      'admin/oldEstate',
      '',
      'environments.manage',
      'PERMISSION_UNAVAILABLE',
    ],
  ])('%s', (_name, setting, before, after, code) => {
    const decision = decide(setting, before, after);
    expect(decision.ok ? null : decision.code).toBe(code);
  });

  it.each<[string, string, string, string, Record<string, unknown>]>([
    ['an unknown permission', 'admin', '', 'nope', { permission: 'nope', reason: 'unknown' }],
    ['an unassignable role', 'admin/basicOnly', '', '@manager', { role: 'manager' }],
    ['an operator-only permission', 'admin', '', '@taskfire', { permission: 'tickets.taskfire' }],
    ['a missing feature', 'admin/plain', '', 'instances.manage', { reason: 'feature', feature: 'data-estate' }],
    ['a partner-only permission', 'admin', '', 'customers.manage', { reason: 'partner-only' }],
    [
      'a failing predicate',
      'admin/oldEstate',
      'instances.manage',
      'instances.manage environments.manage',
      { reason: 'condition' },
    ],
    ['a missing requirement', 'admin', '', 'tickets.edit', { permission: 'tickets.edit', requires: 'tickets.view' }],
    ['a removed requirement', 'admin', 'tickets.view tickets.edit', 'tickets.edit', { requires: 'tickets.view' }],
  ])('names what is wrong with %s in the details', (_name, setting, before, after, details) => {
    expect(decide(setting, before, after)).toMatchObject({ ok: false, details });
  });
});

const actorArb = fc.constantFrom<ActorFacts>(operator, system, admin, actor('org', ['org.admin', 'tickets.view']));

/** Grants closed under requirements (over direct ∪ roles). */
function consistent(grants: Grants, organization: Organization): boolean {
  const granted = grantedPermissions(grants, rolesOf(organization, customs));
  return [...granted].every((key) => (catalog.permissions.get(key)?.requiresAll ?? []).every((r) => granted.has(r)));
}

describe('checkAccessChange properties', () => {
  it('allows leaving stored grants as they are, consistent or not, whoever acts', () => {
    fc.assert(
      fc.property(actorArb, organizationArb, grantsArb, (by, organization, stored) => {
        const roles = rolesOf(organization, customs);
        expect(checkAccessChange({ actor: by, organization, catalog, roles, before: stored, after: stored }).ok).toBe(
          true,
        );
      }),
    );
  });

  it('keeps consistent grants consistent: an allowed change never breaks a dependency', () => {
    fc.assert(
      fc.property(actorArb, organizationArb, grantsArb, grantsArb, (by, organization, before, after) => {
        fc.pre(consistent(before, organization));
        const roles = rolesOf(organization, customs);
        if (checkAccessChange({ actor: by, organization, catalog, roles, before, after }).ok) {
          expect(consistent(after, organization)).toBe(true);
        }
      }),
    );
  });

  it('never lets a user change who holds an operator-only permission', () => {
    fc.assert(
      fc.property(organizationArb, grantsArb, grantsArb, (organization, before, after) => {
        const roles = rolesOf(organization, customs);
        const had = grantedPermissions(before, roles).has('tickets.taskfire');
        const has = grantedPermissions(after, roles).has('tickets.taskfire');
        fc.pre(had !== has);
        expect(checkAccessChange({ actor: admin, organization, catalog, roles, before, after }).ok).toBe(false);
      }),
    );
  });

  it('only ever allows adding direct permissions that are known and available', () => {
    fc.assert(
      fc.property(actorArb, organizationArb, grantsArb, grantsArb, (by, organization, before, after) => {
        const roles = rolesOf(organization, customs);
        if (!checkAccessChange({ actor: by, organization, catalog, roles, before, after }).ok) return;
        for (const key of after.permissions.filter((k) => !before.permissions.includes(k))) {
          const permission = catalog.permissions.get(key);
          expect(permission).toBeDefined();
          if (permission) expect(isPermissionAvailable(permission, organization)).toBe(true);
        }
      }),
    );
  });
});
