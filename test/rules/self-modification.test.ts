import { describe, expect, it } from 'vitest';
import type { ActorFacts, GuardedChange } from '../../src/rules/index.js';
import { checkNotSelf } from '../../src/rules/index.js';
import { actor, operator, system } from './fixtures.js';

const changes: readonly GuardedChange[] = [
  'access',
  'status',
  'expiry',
  'email',
  'erase',
  'password-reset',
  'sessions',
];

describe('checkNotSelf', () => {
  describe.each(changes)('a %s change', (change) => {
    it.each<[string, ActorFacts, string | null]>([
      ['is refused when a user makes it to themselves', actor('acme', ['org.admin'], 'u1'), 'SELF_MODIFICATION'],
      [
        'is refused to themselves even for a customer manager',
        actor('P', ['customers.manage'], 'u1'),
        'SELF_MODIFICATION',
      ],
      ['is allowed when a user makes it to someone else', actor('acme', ['org.admin'], 'u2'), null],
      ['is allowed to the operator, whatever the target', operator, null],
      ['is allowed to a system job, whatever the target', system, null],
    ])('%s', (_name, who, code) => {
      const decision = checkNotSelf(who, 'u1', change);
      expect(decision.ok ? null : decision.code).toBe(code);
      if (!decision.ok) expect(decision.details).toEqual({ change });
    });
  });
});
