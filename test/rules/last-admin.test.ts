import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkKeepsAdmin, countsAsAdmin } from '../../src/rules/index.js';
import type { User } from '../../src/types.js';
import { statuses, T0, T1, user } from './fixtures.js';

describe('countsAsAdmin', () => {
  it.each<[string, Partial<User>, readonly string[], boolean]>([
    ['an active user with effective org.admin counts', {}, ['org.admin'], true],
    [
      'a pending first admin counts (they can still activate)',
      { status: 'pending', activatedAt: null },
      ['org.admin'],
      true,
    ],
    ['a user without effective org.admin does not count', {}, ['tickets.view'], false],
    ['a user with no effective permissions does not count', {}, [], false],
    ['a disabled admin does not count', { status: 'disabled' }, ['org.admin'], false],
    ['an erased admin does not count', { erasedAt: T1 }, ['org.admin'], false],
    ['an admin who cannot sign in does not count', { canSignIn: false }, ['org.admin'], false],
    ['a temporary admin does not count, even before the expiry', { expiresAt: T1 }, ['org.admin'], false],
    ['a temporary admin whose time is up does not count', { expiresAt: T0 }, ['org.admin'], false],
    [
      'a locked admin still counts (lockout is a condition, not a status)',
      { lockedAt: T0, lockedUntil: null },
      ['org.admin'],
      true,
    ],
  ])('%s', (_name, overrides, effective, expected) => {
    const candidate = user('u', overrides);
    expect(countsAsAdmin(candidate, effective)).toBe(expected);
    expect(countsAsAdmin(candidate, new Set(effective))).toBe(expected);
  });

  it('counts only what holds at once: org.admin, sign-in, not disabled, not erased, no expiry', () => {
    fc.assert(
      fc.property(
        fc.record({
          admin: fc.boolean(),
          canSignIn: fc.boolean(),
          status: fc.constantFrom(...statuses),
          erased: fc.boolean(),
          temporary: fc.boolean(),
        }),
        ({ admin, canSignIn, status, erased, temporary }) => {
          const candidate = user('u', {
            canSignIn,
            status,
            erasedAt: erased ? T0 : null,
            expiresAt: temporary ? T1 : null,
          });
          const expected = admin && canSignIn && status !== 'disabled' && !erased && !temporary;
          expect(countsAsAdmin(candidate, admin ? ['tickets.view', 'org.admin'] : ['tickets.view'])).toBe(expected);
        },
      ),
    );
  });
});

describe('checkKeepsAdmin', () => {
  it.each<[string, number, number, boolean]>([
    ['removing the last admin is refused', 1, 0, false],
    ['removing every admin at once is refused', 3, 0, false],
    ['removing one of two admins is allowed', 2, 1, true],
    ['keeping the admin count is allowed', 1, 1, true],
    ['adding an admin is allowed', 1, 2, true],
    ['an organization that already had no admin is not blocked', 0, 0, true],
    ['giving an admin to an organization without one is allowed', 0, 1, true],
  ])('%s', (_name, before, after, ok) => {
    const decision = checkKeepsAdmin(before, after);
    expect(decision.ok).toBe(ok);
    if (!decision.ok) {
      expect(decision).toMatchObject({ code: 'LAST_ADMIN', details: { adminsBefore: before, adminsAfter: after } });
    }
  });

  it('refuses exactly the changes from some admins to none', () => {
    fc.assert(
      fc.property(fc.nat({ max: 50 }), fc.nat({ max: 50 }), (before, after) => {
        expect(checkKeepsAdmin(before, after).ok).toBe(!(before > 0 && after === 0));
      }),
    );
  });
});
