import type { MfaRequirement, Organization, SecurityPolicy } from '../types.js';
import { allowed, type Decision, refuse } from './decision.js';

/** An organization's policy until its admins set one: second factors optional, passwords allowed. */
export const defaultSecurityPolicy: SecurityPolicy = Object.freeze({
  mfa: 'optional',
  enrollmentGraceDays: 0,
  mfaRequiredSince: null,
  ssoRequired: false,
});

const strictness: Record<MfaRequirement, number> = { optional: 0, 'required-for-admins': 1, required: 2 };

const DAY_MS = 86_400_000;

/** The strictest requirement of a chain of organizations (the user's first, then its parents). */
export function strictestRequirement(chain: readonly Pick<Organization, 'securityPolicy'>[]): MfaRequirement {
  let strictest: MfaRequirement = 'optional';
  for (const { securityPolicy } of chain) {
    if (strictness[securityPolicy.mfa] > strictness[strictest]) strictest = securityPolicy.mfa;
  }
  return strictest;
}

/** Whether a requirement asks a second factor of this user (`administers`: they hold `org.admin` there). */
export function requiresSecondFactor(requirement: MfaRequirement, administers: boolean): boolean {
  return requirement === 'required' || (requirement === 'required-for-admins' && administers);
}

/**
 * The moment a user without a second factor must have enrolled one, by the
 * policies of their organization's chain that ask it of them: for each, its
 * grace period from when it began requiring (or from the user's creation, if
 * later); the earliest wins. Null when no policy asks it of them.
 */
export function enrollmentDeadline(
  chain: readonly Pick<Organization, 'securityPolicy'>[],
  user: { createdAt: Date },
  administers: boolean,
): Date | null {
  let deadline: number | null = null;
  for (const { securityPolicy } of chain) {
    if (!requiresSecondFactor(securityPolicy.mfa, administers)) continue;
    const since = Math.max(securityPolicy.mfaRequiredSince?.getTime() ?? 0, user.createdAt.getTime());
    const due = since + securityPolicy.enrollmentGraceDays * DAY_MS;
    deadline = deadline === null ? due : Math.min(deadline, due);
  }
  return deadline === null ? null : new Date(deadline);
}

/** What a right password leads to. */
export type SignInStep =
  /** A session now (no second factor asked, or enrollment still within its grace period: `enrollmentDueAt`). */
  | { step: 'session'; enrollmentDueAt: Date | null }
  /** The user proves a second factor they have. */
  | { step: 'second-factor' }
  /** The user must enroll a second factor before any session. */
  | { step: 'enrollment' };

/**
 * The step after a right password: a user with a confirmed second factor
 * always proves it (whatever the policy: a factor is never optional once
 * enrolled); one without it gets a session unless a policy asks it of them
 * and its grace period is over, when they must enroll first.
 */
export function signInStep(fact: { hasFactor: boolean; deadline: Date | null; now: Date }): SignInStep {
  if (fact.hasFactor) return { step: 'second-factor' };
  if (fact.deadline === null) return { step: 'session', enrollmentDueAt: null };
  if (fact.deadline.getTime() <= fact.now.getTime()) return { step: 'enrollment' };
  return { step: 'session', enrollmentDueAt: fact.deadline };
}

/**
 * Whether a user may remove one of their confirmed factors: not their last
 * one while a policy of their chain asks a second factor of them
 * (`MFA_REQUIRED`), whatever its grace period.
 */
export function checkFactorRemoval(change: { required: boolean; confirmedLeft: number }): Decision {
  if (change.required && change.confirmedLeft === 0) {
    return refuse('MFA_REQUIRED', 'Your organization requires a second factor: add another before removing this one');
  }
  return allowed;
}

/**
 * An organization's policy after a change: `mfaRequiredSince` starts anew
 * when the requirement becomes stricter (a grace period for everyone it now
 * covers), is kept when it stays or loosens but still requires, and is
 * cleared when second factors become optional.
 */
export function changedSecurityPolicy(
  current: SecurityPolicy,
  change: {
    mfa?: MfaRequirement | undefined;
    enrollmentGraceDays?: number | undefined;
    ssoRequired?: boolean | undefined;
  },
  now: Date,
): SecurityPolicy {
  const mfa = change.mfa ?? current.mfa;
  const stricter = strictness[mfa] > strictness[current.mfa];
  return {
    mfa,
    enrollmentGraceDays: change.enrollmentGraceDays ?? current.enrollmentGraceDays,
    mfaRequiredSince: mfa === 'optional' ? null : stricter ? now : current.mfaRequiredSince,
    ssoRequired: change.ssoRequired ?? current.ssoRequired,
  };
}
