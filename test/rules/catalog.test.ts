import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PermissionDefinition } from '../../src/catalog.js';
import { definePermissions, defineRoles } from '../../src/catalog.js';
import { isPermissionAvailable } from '../../src/rules/index.js';
import { catalog, org } from './fixtures.js';

/** Untyped entry point: the run-time checks are what is under test here. */
const define = (definitions: Record<string, PermissionDefinition>) => definePermissions(definitions as never);
const refusedAsConfiguration = expect.objectContaining({ name: 'TenantryError', code: 'VALIDATION_FAILED' });

describe('definePermissions', () => {
  it('always includes the built-ins, even for an empty catalog', () => {
    const empty = definePermissions({});
    expect([...empty.keys].sort()).toEqual(['customers.manage', 'org.admin']);
    expect(empty.permissions.get('customers.manage')?.partnerOnly).toBe(true);
    expect(empty.permissions.get('org.admin')).toMatchObject({ key: 'org.admin', requiresAll: [] });
  });

  it('lets the host relabel and describe a built-in', () => {
    const relabelled = define({ 'org.admin': { label: 'Portal admin', description: 'Runs the company' } });
    expect(relabelled.permissions.get('org.admin')).toMatchObject({
      label: 'Portal admin',
      description: 'Runs the company',
    });
  });

  describe.each(['org.admin', 'customers.manage'])('the built-in %s', (key) => {
    it.each<[string, Partial<PermissionDefinition>]>([
      ['requires', { requires: ['tickets.view'] }],
      ['feature', { feature: 'data-estate' }],
      ['operatorOnly', { operatorOnly: true }],
      ['availableWhen', { availableWhen: () => true }],
    ])('cannot be restricted with %s', (_name, restriction) => {
      const restricted = () => define({ 'tickets.view': { label: 'View' }, [key]: { label: 'X', ...restriction } });
      expect(restricted).toThrow(refusedAsConfiguration);
    });
  });

  it.each<[string, string, Partial<PermissionDefinition>, boolean]>([
    [
      'org.admin stays available to standard organizations when listed as partner-only',
      'org.admin',
      { partnerOnly: true },
      true,
    ],
    [
      'customers.manage stays partner-only when listed as not partner-only',
      'customers.manage',
      { partnerOnly: false },
      false,
    ],
  ])('%s', (_name, key, listed, availableToStandard) => {
    const permission = define({ [key]: { label: 'X', ...listed } }).permissions.get(key);
    expect(permission && isPermissionAvailable(permission, org('std'))).toBe(availableToStandard);
  });

  it.each<[string, Record<string, PermissionDefinition>]>([
    ['an unknown requirement', { a: { label: 'A', requires: ['missing'] } }],
    [
      'an unknown requirement further down',
      { a: { label: 'A', requires: ['b'] }, b: { label: 'B', requires: ['missing'] } },
    ],
    ['a permission requiring itself', { a: { label: 'A', requires: ['a'] } }],
    ['a two-permission cycle', { a: { label: 'A', requires: ['b'] }, b: { label: 'B', requires: ['a'] } }],
    [
      'a cycle below the first permission',
      { a: { label: 'A', requires: ['b'] }, b: { label: 'B', requires: ['c'] }, c: { label: 'C', requires: ['b'] } },
    ],
    ['an empty key', { '': { label: 'Empty' } }],
    ['a key starting with a dot', { '.a': { label: 'A' } }],
    ['a key with a space', { 'tickets view': { label: 'A' } }],
    ['a key longer than 100 characters', { [`a${'b'.repeat(100)}`]: { label: 'Long' } }],
    ['a requirement named like an Object.prototype member', { a: { label: 'A', requires: ['constructor'] } }],
  ])('refuses %s as configuration', (_name, definitions) => {
    expect(() => define(definitions)).toThrow(refusedAsConfiguration);
  });

  it('accepts a key of exactly 100 characters and the documented punctuation', () => {
    const keys = [`a${'b'.repeat(99)}`, 'A0_b.c:d-e'];
    expect(define(Object.fromEntries(keys.map((key) => [key, { label: key }]))).keys).toEqual(
      expect.arrayContaining(keys),
    );
  });

  it.each<[string, string, Partial<PermissionDefinition>]>([
    ['a permission named constructor keeps its partnerOnly', 'constructor', { partnerOnly: true }],
    ['a permission named toString may have a feature', 'toString', { feature: 'x' }],
  ])('treats Object.prototype names as ordinary keys: %s', (_name, key, definition) => {
    const built = define({ [key]: { label: key, ...definition } });
    expect(built.permissions.get(key)).toMatchObject(definition);
  });

  it.each<[string, string, string[]]>([
    ['a permission without requirements requires nothing', 'tickets.view', []],
    ['a direct requirement is included', 'tickets.edit', ['tickets.view']],
    ['a requirement of a requirement is included', 'environments.manage', ['instances.manage']],
  ])('%s', (_name, key, expected) => {
    expect(catalog.permissions.get(key)?.requiresAll).toEqual(expected);
  });

  it('computes requiresAll as the sorted transitive closure of any acyclic catalog', () => {
    const keys = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    // Each permission may require only later ones: acyclic by construction.
    const dagArb = fc.tuple(...keys.map((_key, index) => fc.subarray(keys.slice(index + 1))));
    fc.assert(
      fc.property(dagArb, (requires) => {
        const definitions = Object.fromEntries(
          keys.map((key, i) => [key, { label: key, requires: requires[i] ?? [] }]),
        );
        const built = define(definitions);
        const closure = (key: string): Set<string> => {
          const direct = requires[keys.indexOf(key)] ?? [];
          return new Set(direct.flatMap((next) => [next, ...closure(next)]));
        };
        for (const key of keys) expect(built.permissions.get(key)?.requiresAll).toEqual([...closure(key)].sort());
      }),
    );
  });
});

describe('defineRoles', () => {
  it('keeps a self-contained role, without duplicate permissions', () => {
    const roles = defineRoles(catalog, {
      manager: { label: 'M', permissions: ['tickets.view', 'tickets.edit', 'tickets.view'] },
    });
    expect(roles.roles.get('manager')).toMatchObject({ key: 'manager', permissions: ['tickets.view', 'tickets.edit'] });
  });

  it.each<[string, string, string[], Record<string, unknown>]>([
    ['a role missing a required permission', 'editor', ['tickets.edit'], { role: 'editor', requires: 'tickets.view' }],
    ['a role missing a transitive requirement', 'env', ['environments.manage'], { requires: 'instances.manage' }],
    ['a role naming an unknown permission', 'typo', ['tickets.nope'], { role: 'typo', permission: 'tickets.nope' }],
    ['a role with an invalid key', 'bad key', ['tickets.view'], { role: 'bad key' }],
  ])('refuses %s', (_name, key, permissions, details) => {
    const build = () => defineRoles(catalog as never, { [key]: { label: key, permissions } } as never);
    expect(build).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', details: expect.objectContaining(details) }),
    );
  });
});

describe('catalog typing', () => {
  // Compile-time checks (enforced by `npm run typecheck`); each also fails at run time.
  const typoInRole = () =>
    // @ts-expect-error a role may only name permissions of the catalog
    defineRoles(catalog, { bad: { label: 'Bad', permissions: ['tickets.nope'] } });
  const typoInRequires = () =>
    // @ts-expect-error requirements must be keys of the same catalog
    definePermissions({ a: { label: 'A', requires: ['b'] } });

  it('refuses typos in role permissions and requirements, at compile time and at run time', () => {
    expect(typoInRole).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(typoInRequires).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('types an unannotated availableWhen parameter as an organization and keeps the keys', () => {
    const key: (typeof catalog.keys)[number] = 'environments.manage';
    expect(catalog.permissions.get(key)?.requiresAll).toEqual(['instances.manage']);
  });
});
