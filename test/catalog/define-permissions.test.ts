import { describe, expect, it } from 'vitest';
import { definePermissions, defineRoles, TenantryError } from '../../src/index.js';

const permissions = definePermissions({
  'instances.manage': { label: 'Data estate admin', feature: 'data-estate' },
  'environments.manage': {
    label: 'Environment admin',
    requires: ['instances.manage'],
    // The parameter is typed as Organization without an annotation.
    availableWhen: (org) => Number(org.attributes.version ?? 0) <= 20,
  },
  'tickets.view': { label: 'View tickets' },
  'tickets.edit': { label: 'Edit tickets', requires: ['tickets.view'] },
  'tickets.approve': { label: 'Approve tickets', requires: ['tickets.edit'] },
});

// Compile-time checks (enforced by `npm run typecheck`) that also fail at run time.
const typoInRole = () =>
  // @ts-expect-error a role may only name permissions of the catalog
  defineRoles(permissions, { bad: { label: 'Bad', permissions: ['tickets.nope'] } });
const typoInRequires = () =>
  // @ts-expect-error requirements must be keys of the same catalog
  definePermissions({ a: { label: 'A', requires: ['b'] } });

describe('definePermissions', () => {
  it('always includes the built-in org.admin and customers.manage', () => {
    expect(permissions.keys).toEqual(expect.arrayContaining(['org.admin', 'customers.manage', 'tickets.view']));
    expect(permissions.permissions.get('customers.manage')?.partnerOnly).toBe(true);
  });

  it('computes every requirement transitively', () => {
    expect(permissions.permissions.get('tickets.approve')?.requiresAll).toEqual(['tickets.edit', 'tickets.view']);
  });

  it('lets the host relabel a built-in but not restrict it', () => {
    const relabelled = definePermissions({ 'org.admin': { label: 'Portal administrator' } });
    expect(relabelled.permissions.get('org.admin')?.label).toBe('Portal administrator');
    expect(() => definePermissions({ 'org.admin': { label: 'Admin', feature: 'x' } })).toThrow(TenantryError);
  });

  it('refuses typos in role permissions and requirements, at compile time and at run time', () => {
    expect(typoInRole).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(typoInRequires).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses cycles and unknown requirements as configuration errors', () => {
    const cyclic = () => definePermissions({ a: { label: 'A', requires: ['b'] }, b: { label: 'B', requires: ['a'] } });
    expect(cyclic).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const unknown = () => definePermissions({ a: { label: 'A', requires: ['missing' as 'a'] } });
    expect(unknown).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('defineRoles', () => {
  it('keeps a role that carries what its permissions require', () => {
    const roles = defineRoles(permissions, {
      manager: { label: 'Manager', permissions: ['tickets.view', 'tickets.edit'] },
    });
    expect(roles.roles.get('manager')?.permissions).toEqual(['tickets.view', 'tickets.edit']);
  });

  it('refuses a role missing a required permission', () => {
    const incomplete = () => defineRoles(permissions, { editor: { label: 'Editor', permissions: ['tickets.edit'] } });
    expect(incomplete).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: expect.objectContaining({ requires: 'tickets.view' }),
      }),
    );
  });
});
