import type { User, UserStatus } from '../types.js';
import { type Refusal, refuse } from './decision.js';
import { isExpired, isLocked } from './user-conditions.js';

/** How an account stands at a moment: everything the questions below look at. */
export interface Standing {
  erased: boolean;
  status: UserStatus;
  /** A temporary account whose time is up. */
  expired: boolean;
  /** False for a contact record without a login. */
  canSignIn: boolean;
  /** Locked after failed sign-ins (only the password sign-in cares). */
  locked: boolean;
}

/** The user's standing at `now`. */
export function standing(
  user: Pick<User, 'erasedAt' | 'status' | 'expiresAt' | 'canSignIn' | 'lockedAt' | 'lockedUntil'>,
  now: Date,
): Standing {
  return {
    erased: user.erasedAt !== null,
    status: user.status,
    expired: isExpired(user, now),
    canSignIn: user.canSignIn,
    locked: isLocked(user, now),
  };
}

/**
 * May act through `um.as(actor)`: neither erased, disabled nor expired. A
 * pending user may (the first admin of a new company sets it up before
 * activating); the right to sign in is the host's to judge there.
 */
export function mayAct(standing: Standing): boolean {
  return !standing.erased && standing.status !== 'disabled' && !standing.expired;
}

/** May hold a session (and use it): active, allowed to sign in, neither erased nor expired. */
export function mayHoldSession(standing: Standing): boolean {
  return !standing.erased && standing.status === 'active' && standing.canSignIn && !standing.expired;
}

/** Whether sign-in checks the password at all: an erased, locked or login-less account fails without it. */
export function passwordIsChecked(standing: Standing): boolean {
  return !standing.erased && standing.canSignIn && !standing.locked;
}

/**
 * What a sign-in with the right password answers when it starts no session:
 * the account's reason (only the right password learns it), or null when the
 * account may sign in.
 */
export function signInRefusal(standing: Standing): Refusal | null {
  if (!passwordIsChecked(standing)) {
    return refuse('INVALID_CREDENTIALS', 'The email address or password is incorrect');
  }
  if (standing.status === 'pending') {
    return refuse('ACCOUNT_PENDING', 'Activate your account from the invitation first');
  }
  if (standing.status === 'disabled') return refuse('ACCOUNT_DISABLED', 'This account has been disabled');
  if (standing.expired) return refuse('ACCOUNT_EXPIRED', 'This account has expired');
  return null;
}

/** May reset their own password (by link, or be given a reset link): as for a session; a lock does not stop it. */
export function mayResetPassword(standing: Standing): boolean {
  return mayHoldSession(standing);
}

/** May be invited, and accept: pending, allowed to sign in, neither erased nor expired. */
export function mayBeInvited(standing: Standing): boolean {
  return !standing.erased && standing.status === 'pending' && standing.canSignIn && !standing.expired;
}
