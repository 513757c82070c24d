import { describe, expect, it } from 'vitest';
import { organizationRoles, rolesCarrying } from '../../src/rules/index.js';
import { customRole, rolesOf, standardRoles } from './fixtures.js';

describe('organizationRoles', () => {
  it.each<[string, string[] | null, Record<string, boolean>]>([
    [
      'every standard role is assignable when allowedRoles is null',
      null,
      { basic: true, manager: true, taskfire: true },
    ],
    ['only the listed standard roles are assignable', ['basic'], { basic: true, manager: false, taskfire: false }],
    [
      'no standard role is assignable when allowedRoles is empty',
      [],
      { basic: false, manager: false, taskfire: false },
    ],
    ['custom roles are assignable whatever allowedRoles says', [], { auditor: true }],
  ])('%s', (_name, allowedRoles, expected) => {
    const roles = rolesOf({ allowedRoles }, [customRole('auditor', ['tickets.view'])]);
    for (const [key, assignable] of Object.entries(expected)) expect(roles.get(key)?.assignable).toBe(assignable);
  });

  it('lists the standard roles first, then the custom ones, with their permissions', () => {
    const roles = rolesOf({ allowedRoles: null }, [customRole('auditor', ['tickets.view'])]);
    expect([...roles.values()]).toEqual([
      { key: 'basic', label: 'Basic', permissions: ['tickets.view'], custom: false, assignable: true },
      {
        key: 'manager',
        label: 'Manager',
        permissions: ['tickets.view', 'tickets.edit'],
        custom: false,
        assignable: true,
      },
      {
        key: 'taskfire',
        label: 'Taskfire',
        permissions: ['tickets.view', 'tickets.taskfire'],
        custom: false,
        assignable: true,
      },
      { key: 'auditor', label: 'auditor', permissions: ['tickets.view'], custom: true, assignable: true },
    ]);
  });

  it('copies permissions, so changing the result cannot change the catalog', () => {
    const roles = organizationRoles({ allowedRoles: null }, standardRoles, []);
    roles.get('basic')?.permissions.push('org.admin');
    expect(standardRoles.roles.get('basic')?.permissions).toEqual(['tickets.view']);
  });
});

describe('rolesCarrying', () => {
  const roles = rolesOf({ allowedRoles: null }, [customRole('auditor', ['reports.view'])]);
  it.each<[string, string[], string[]]>([
    ['finds every role carrying a permission', ['tickets.view'], ['basic', 'manager', 'taskfire']],
    ['finds roles carrying any of several permissions', ['tickets.edit', 'reports.view'], ['manager', 'auditor']],
    ['finds the roles carrying an operator-only permission', ['tickets.taskfire'], ['taskfire']],
    ['finds nothing for a permission no role carries', ['org.admin'], []],
    ['finds nothing for no permissions', [], []],
  ])('%s', (_name, permissions, expected) => {
    expect(rolesCarrying(roles, permissions)).toEqual(expected);
  });
});
