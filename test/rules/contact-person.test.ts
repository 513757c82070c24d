import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkContactCandidate, successorContactPerson } from '../../src/rules/index.js';
import type { User } from '../../src/types.js';
import { org, statuses, T0, user } from './fixtures.js';

const acme = org('acme', { contactUserId: 'leaving' });

describe('checkContactCandidate', () => {
  it.each<[string, Partial<User>, string | null]>([
    ['an active user of the organization may be the contact person', {}, null],
    ['a pending user of the organization may be the contact person', { status: 'pending', activatedAt: null }, null],
    ['a locked user of the organization may be the contact person', { lockedAt: T0 }, null],
    ['a user without sign-in (a contact record) may be the contact person', { canSignIn: false }, null],
    ['a disabled user cannot be the contact person', { status: 'disabled' }, 'CONFLICT'],
    ['an erased user cannot be the contact person', { erasedAt: T0 }, 'CONFLICT'],
    ['a user of another organization cannot be the contact person', { organizationId: 'other' }, 'NOT_FOUND'],
    [
      'a disabled user of another organization is simply not found',
      { organizationId: 'other', status: 'disabled' },
      'NOT_FOUND',
    ],
  ])('%s', (_name, overrides, code) => {
    const decision = checkContactCandidate(acme, user('u', { organizationId: 'acme', ...overrides }));
    expect(decision.ok ? null : decision.code).toBe(code);
  });
});

const member = (id: string, overrides: Partial<User> = {}) => user(id, { organizationId: 'acme', ...overrides });

describe('successorContactPerson', () => {
  it.each<[string, string | null, User[], string | null | undefined]>([
    ['nothing changes when the leaving user was not the contact person', 'someone-else', [member('a')], undefined],
    ['nothing changes when the organization had no contact person', null, [member('a')], undefined],
    ['the first candidate takes over', 'leaving', [member('a'), member('b')], 'a'],
    ['the caller order decides (admins first)', 'leaving', [member('b'), member('a')], 'b'],
    ['the leaving user is skipped', 'leaving', [member('leaving'), member('a')], 'a'],
    ['disabled candidates are skipped', 'leaving', [member('a', { status: 'disabled' }), member('b')], 'b'],
    ['erased candidates are skipped', 'leaving', [member('a', { erasedAt: T0 }), member('b')], 'b'],
    [
      'candidates of another organization are skipped',
      'leaving',
      [user('x', { organizationId: 'other' }), member('b')],
      'b',
    ],
    ['a pending candidate may take over', 'leaving', [member('p', { status: 'pending', activatedAt: null })], 'p'],
    ['the role is cleared when nobody is eligible', 'leaving', [member('a', { status: 'disabled' })], null],
    ['the role is cleared when there are no candidates', 'leaving', [], null],
  ])('%s', (_name, contactUserId, candidates, expected) => {
    expect(successorContactPerson({ id: 'acme', contactUserId }, 'leaving', candidates)).toBe(expected);
  });

  it('always names an eligible candidate other than the leaving user, or nobody only when none is eligible', () => {
    const candidateArb = fc.record({
      id: fc.constantFrom('leaving', 'a', 'b', 'c'),
      organizationId: fc.constantFrom('acme', 'other'),
      status: fc.constantFrom(...statuses),
      erasedAt: fc.option(fc.constant(T0), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(candidateArb, { maxLength: 6 }), (candidates) => {
        const eligible = candidates.filter(
          (c) => c.id !== 'leaving' && c.organizationId === 'acme' && c.status !== 'disabled' && c.erasedAt === null,
        );
        const successor = successorContactPerson(acme, 'leaving', candidates);
        expect(successor).toBe(eligible[0]?.id ?? null);
      }),
    );
  });
});
