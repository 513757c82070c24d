import { describe, expect, it } from 'vitest';
import { checkNewExpiry, isErased, isExpired, isLocked } from '../../src/rules/index.js';
import { T0, T1, user } from './fixtures.js';

const before = new Date(T1.getTime() - 1);
const after = new Date(T1.getTime() + 1);

describe('isExpired', () => {
  it.each<[string, Date | null, Date, boolean]>([
    ['a permanent account never expires', null, after, false],
    ['a temporary account works before its expiry', T1, before, false],
    ['a temporary account stops working at the expiry instant', T1, T1, true],
    ['a temporary account stays expired afterwards', T1, after, true],
  ])('%s', (_name, expiresAt, now, expected) => {
    expect(isExpired(user('u', { expiresAt }), now)).toBe(expected);
  });
});

describe('isLocked', () => {
  it.each<[string, Date | null, Date | null, Date, boolean]>([
    ['a user never locked is not locked', null, null, after, false],
    ['a stale lockedUntil without lockedAt does not lock', null, T1, before, false],
    ['a lock with no end lasts until an admin unlocks', T0, null, after, true],
    ['a timed lock holds before its end', T0, T1, before, true],
    ['a timed lock is over at its end instant', T0, T1, T1, false],
    ['a timed lock is over after its end', T0, T1, after, false],
  ])('%s', (_name, lockedAt, lockedUntil, now, expected) => {
    expect(isLocked(user('u', { lockedAt, lockedUntil }), now)).toBe(expected);
  });
});

describe('isErased', () => {
  it.each<[string, Date | null, boolean]>([
    ['a user with erasedAt is erased', T0, true],
    ['a user without erasedAt is not erased', null, false],
  ])('%s', (_name, erasedAt, expected) => {
    expect(isErased(user('u', { erasedAt }))).toBe(expected);
  });
});

describe('checkNewExpiry', () => {
  it('allows no expiry and an expiry still ahead', () => {
    expect(checkNewExpiry(null, T1, 'expiresAt').ok).toBe(true);
    expect(checkNewExpiry(undefined, T1, 'expiresAt').ok).toBe(true);
    expect(checkNewExpiry(after, T1, 'expiresAt').ok).toBe(true);
  });

  it.each([
    ['now', T1],
    ['the past', before],
  ])('refuses an expiry of %s, naming the field it came from', (_name, expiresAt) => {
    expect(checkNewExpiry(expiresAt, T1, 'expires_at')).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: 'expires_at must be in the future (disable the user instead)',
      details: { issues: [{ path: 'expires_at', message: 'Must be in the future' }] },
    });
  });
});
