import { describe, expect, it } from 'vitest';
import { checkDependencies } from '../../src/rules/index.js';
import { catalog } from './fixtures.js';

describe('checkDependencies', () => {
  it.each<[string, string[], string[], string | null]>([
    ['nothing to nothing is fine', [], [], null],
    ['adding a permission with its requirement is fine', [], ['tickets.view', 'tickets.edit'], null],
    ['adding a permission without its requirement is refused', [], ['tickets.edit'], 'tickets.edit→tickets.view'],
    [
      'removing a requirement of a kept permission is refused',
      ['tickets.view', 'tickets.edit'],
      ['tickets.edit'],
      'tickets.edit→tickets.view',
    ],
    ['keeping an already broken pair is fine', ['tickets.edit'], ['tickets.edit'], null],
    [
      'a pair broken before stays allowed while the rest changes',
      ['environments.manage'],
      ['environments.manage', 'org.admin'],
      null,
    ],
    ['unknown permissions have no requirements', [], ['nope'], null],
  ])('%s', (_name, before, after, refused) => {
    const decision = checkDependencies(catalog, new Set(before), new Set(after));
    if (refused === null) expect(decision.ok).toBe(true);
    else expect(decision.ok ? null : `${decision.details.permission}→${decision.details.requires}`).toBe(refused);
  });
});
