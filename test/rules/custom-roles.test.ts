import { describe, expect, it } from 'vitest';
import { roleTakenError } from '../../src/adapter-kit/index.js';
import { checkCustomRole } from '../../src/rules/index.js';
import { catalog, standardRoles } from './fixtures.js';

describe('checkCustomRole', () => {
  it.each<[string, string, string[], string[], string | null, Record<string, unknown>]>([
    ['a new key with self-contained permissions is accepted', 'auditor', ['tickets.view'], [], null, {}],
    ['a role without permissions is accepted', 'empty', [], [], null, {}],
    [
      'a role carrying a whole requirement chain is accepted',
      'estate',
      ['environments.manage', 'instances.manage'],
      [],
      null,
      {},
    ],
    [
      'a role may carry an operator-only permission (the operator creates it)',
      'fire',
      ['tickets.taskfire'],
      [],
      null,
      {},
    ],
    ['duplicate permissions are fine', 'dup', ['tickets.view', 'tickets.view'], [], null, {}],
    ['the key of a standard role is refused', 'manager', ['tickets.view'], [], 'CONFLICT', { role: 'manager' }],
    [
      'the key of an existing custom role is refused',
      'auditor',
      ['tickets.view'],
      ['auditor'],
      'CONFLICT',
      { role: 'auditor' },
    ],
    ['a key clash is reported before bad permissions', 'basic', ['nope'], [], 'CONFLICT', { role: 'basic' }],
    [
      'an unknown permission is refused',
      'x',
      ['tickets.view', 'nope'],
      [],
      'PERMISSION_UNAVAILABLE',
      { permission: 'nope', reason: 'unknown' },
    ],
    [
      'a missing requirement is refused',
      'x',
      ['tickets.edit'],
      [],
      'PERMISSION_DEPENDENCY',
      { permission: 'tickets.edit', requires: 'tickets.view' },
    ],
    [
      'a missing transitive requirement is refused',
      'x',
      ['environments.manage'],
      [],
      'PERMISSION_DEPENDENCY',
      { requires: 'instances.manage' },
    ],
  ])('%s', (_name, key, permissions, existing, code, details) => {
    const decision = checkCustomRole({ key, permissions }, catalog, standardRoles, existing);
    if (code === null) expect(decision).toEqual({ ok: true });
    else expect(decision).toMatchObject({ ok: false, code, details });
  });

  it('is not bothered by custom keys of other organizations (the caller passes only this one)', () => {
    expect(checkCustomRole({ key: 'auditor', permissions: [] }, catalog, standardRoles, ['other']).ok).toBe(true);
  });

  it('refuses a taken key with the code, words and details storage uses when its unique key refuses one', () => {
    const decision = checkCustomRole({ key: 'auditor', permissions: [] }, catalog, standardRoles, ['auditor']);
    const { code, message, details } = roleTakenError('auditor');
    expect(decision).toEqual({ ok: false, code, message, details });
    expect(message).toBe('A role "auditor" already exists');
  });
});
