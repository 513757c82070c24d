import { describe, expect, it } from 'vitest';
import type { CatalogPermission } from '../../src/catalog.js';
import { isPermissionAvailable, permissionAvailability } from '../../src/rules/index.js';
import type { Organization } from '../../src/types.js';
import { catalog, org } from './fixtures.js';

function permission(key: string): CatalogPermission {
  const found = catalog.permissions.get(key);
  if (!found) throw new Error(`No permission ${key} in the fixture catalog`);
  return found;
}

const standard = org('std');
const partner = org('partner', { kind: 'partner' });
const withEstate = org('estate', { features: ['data-estate'] });

describe('permissionAvailability', () => {
  it.each<[string, string, Organization, string | null]>([
    ['a permission without conditions is available everywhere', 'tickets.view', standard, null],
    ['org.admin is available to every organization', 'org.admin', standard, null],
    ['org.admin is available to partners', 'org.admin', partner, null],
    ['customers.manage is available to a partner', 'customers.manage', partner, null],
    ['customers.manage is unavailable to a standard organization', 'customers.manage', standard, 'partner-only'],
    ['a feature permission is unavailable without the feature', 'instances.manage', standard, 'feature'],
    [
      'a feature permission is unavailable with only other features',
      'instances.manage',
      org('x', { features: ['other'] }),
      'feature',
    ],
    ['a feature permission is available with the feature', 'instances.manage', withEstate, null],
    ['a feature permission is not granted by being a partner', 'instances.manage', partner, 'feature'],
    [
      'a predicate that holds makes it available',
      'environments.manage',
      org('v', { attributes: { version: 20 } }),
      null,
    ],
    [
      'a predicate that fails makes it unavailable',
      'environments.manage',
      org('v', { attributes: { version: 21 } }),
      'condition',
    ],
    ['a predicate reading a missing attribute may still hold', 'environments.manage', standard, null],
    ['a predicate that throws counts as unavailable', 'reports.view', standard, 'condition'],
    [
      'a predicate that returns false is unavailable',
      'reports.view',
      org('r', { attributes: { reports: { enabled: false } } }),
      'condition',
    ],
    [
      'a predicate that returns true is available',
      'reports.view',
      org('r', { attributes: { reports: { enabled: true } } }),
      null,
    ],
    ['an operator-only permission is available (who grants it is another rule)', 'tickets.taskfire', standard, null],
  ])('%s', (_name, key, organization, reason) => {
    const decision = permissionAvailability(permission(key), organization);
    if (reason === null) {
      expect(decision).toEqual({ ok: true });
    } else {
      expect(decision).toMatchObject({
        ok: false,
        code: 'PERMISSION_UNAVAILABLE',
        details: { permission: key, reason },
      });
    }
    expect(isPermissionAvailable(permission(key), organization)).toBe(reason === null);
  });

  it('names the missing feature', () => {
    expect(permissionAvailability(permission('instances.manage'), standard)).toMatchObject({
      details: { feature: 'data-estate' },
    });
  });

  it.each<[string, unknown]>([
    ['a truthy non-boolean', 'yes'],
    ['undefined', undefined],
    ['a number', 1],
  ])('a predicate returning %s counts as unavailable', (_name, answer) => {
    const odd: CatalogPermission = {
      key: 'odd',
      label: 'Odd',
      requiresAll: [],
      availableWhen: () => answer as boolean,
    };
    expect(isPermissionAvailable(odd, standard)).toBe(false);
  });
});
