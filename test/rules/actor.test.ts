import { describe, expect, it } from 'vitest';
import type { ActorFacts } from '../../src/rules/index.js';
import { actsAsPlatform } from '../../src/rules/index.js';
import { actor, operator, system } from './fixtures.js';

describe('actsAsPlatform', () => {
  it.each<[string, ActorFacts, boolean]>([
    ['the operator acts as the platform', operator, true],
    ['a system job acts as the platform', system, true],
    ['a user does not, even with every permission', actor('P', ['org.admin', 'customers.manage']), false],
    ['a user without permissions does not', actor('acme'), false],
  ])('%s', (_name, who, expected) => {
    expect(actsAsPlatform(who)).toBe(expected);
  });
});
