import { describe, expect, it } from 'vitest';
import {
  changedSecurityPolicy,
  checkFactorRemoval,
  enrollmentDeadline,
  requiresSecondFactor,
  signInStep,
  strictestRequirement,
} from '../../src/rules/second-factor-policy.js';
import type { MfaRequirement, SecurityPolicy } from '../../src/types.js';

const day = 86_400_000;
const t0 = new Date('2026-06-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * day);
const policy = (mfa: MfaRequirement, graceDays = 0, since: Date | null = mfa === 'optional' ? null : t0) => ({
  securityPolicy: {
    mfa,
    enrollmentGraceDays: graceDays,
    mfaRequiredSince: since,
    ssoRequired: false,
  } satisfies SecurityPolicy,
});

describe('strictestRequirement', () => {
  const cases: [MfaRequirement[], MfaRequirement][] = [
    [[], 'optional'],
    [['optional', 'optional'], 'optional'],
    [['optional', 'required-for-admins'], 'required-for-admins'],
    [['required-for-admins', 'required'], 'required'],
    [['required', 'optional'], 'required'],
  ];
  it.each(cases)('a chain of %j is held to %s', (chain, strictest) => {
    expect(strictestRequirement(chain.map((mfa) => policy(mfa)))).toBe(strictest);
  });
});

describe('requiresSecondFactor', () => {
  const cases: [MfaRequirement, boolean, boolean][] = [
    ['optional', true, false],
    ['optional', false, false],
    ['required-for-admins', true, true],
    ['required-for-admins', false, false],
    ['required', false, true],
    ['required', true, true],
  ];
  it.each(cases)('%s, for an admin: %s → %s', (mfa, administers, required) => {
    expect(requiresSecondFactor(mfa, administers)).toBe(required);
  });
});

describe('enrollmentDeadline', () => {
  const user = { createdAt: at(-30) };
  it('counts the grace period from when the policy began requiring, or the user’s creation if later', () => {
    expect(enrollmentDeadline([policy('required', 7)], user, false)).toEqual(at(7));
    expect(enrollmentDeadline([policy('required', 7)], { createdAt: at(3) }, false)).toEqual(at(10));
    expect(enrollmentDeadline([policy('required', 0)], user, false)).toEqual(t0);
  });
  it('takes the earliest deadline of the chain’s policies that ask it of the user, none when none does', () => {
    const chain = [policy('required', 14), policy('required-for-admins', 2)];
    expect(enrollmentDeadline(chain, user, true)).toEqual(at(2));
    expect(enrollmentDeadline(chain, user, false)).toEqual(at(14));
    expect(enrollmentDeadline([policy('optional'), policy('required-for-admins', 2)], user, false)).toBeNull();
  });
});

describe('signInStep', () => {
  const cases: [string, { hasFactor: boolean; deadline: Date | null }, string][] = [
    ['a user with a factor, whatever the policy', { hasFactor: true, deadline: null }, 'second-factor'],
    ['a user with a factor past a deadline', { hasFactor: true, deadline: at(-1) }, 'second-factor'],
    ['a user nobody asks a factor of', { hasFactor: false, deadline: null }, 'session'],
    ['a user within the grace period', { hasFactor: false, deadline: at(1) }, 'session'],
    ['a user at the deadline', { hasFactor: false, deadline: t0 }, 'enrollment'],
    ['a user past the deadline', { hasFactor: false, deadline: at(-1) }, 'enrollment'],
  ];
  it.each(cases)('%s → %s', (_, fact, step) => {
    expect(signInStep({ ...fact, now: t0 }).step).toBe(step);
  });
  it('tells a session in the grace period when enrollment falls due', () => {
    expect(signInStep({ hasFactor: false, deadline: at(1), now: t0 })).toEqual({
      step: 'session',
      enrollmentDueAt: at(1),
    });
  });
});

describe('checkFactorRemoval', () => {
  const cases: [boolean, number, string][] = [
    [true, 0, 'MFA_REQUIRED'],
    [true, 1, 'ok'],
    [false, 0, 'ok'],
    [false, 2, 'ok'],
  ];
  it.each(cases)('required %s, confirmed factors left %i → %s', (required, confirmedLeft, answer) => {
    const decision = checkFactorRemoval({ required, confirmedLeft });
    expect(decision.ok ? 'ok' : decision.code).toBe(answer);
  });
});

describe('changedSecurityPolicy', () => {
  const optional = policy('optional').securityPolicy;
  it('starts the grace period when the requirement becomes stricter, keeps it otherwise, clears it when optional', () => {
    const required = changedSecurityPolicy(optional, { mfa: 'required-for-admins', enrollmentGraceDays: 5 }, at(1));
    expect(required).toEqual({
      mfa: 'required-for-admins',
      enrollmentGraceDays: 5,
      mfaRequiredSince: at(1),
      ssoRequired: false,
    });
    expect(changedSecurityPolicy(required, { mfa: 'required' }, at(2)).mfaRequiredSince).toEqual(at(2));
    expect(changedSecurityPolicy(required, { enrollmentGraceDays: 9 }, at(3))).toEqual({
      ...required,
      enrollmentGraceDays: 9,
    });
    const loosened = changedSecurityPolicy(
      policy('required', 1, at(1)).securityPolicy,
      { mfa: 'required-for-admins' },
      at(4),
    );
    expect(loosened.mfaRequiredSince).toEqual(at(1));
    expect(changedSecurityPolicy(required, { mfa: 'optional' }, at(5)).mfaRequiredSince).toBeNull();
  });
});
