import type { User } from '../types.js';
import { allowed, type Decision, refuse } from './decision.js';

/** A temporary account whose time is up. */
export function isExpired(user: Pick<User, 'expiresAt'>, now: Date): boolean {
  return user.expiresAt !== null && user.expiresAt.getTime() <= now.getTime();
}

/** Locked after failed sign-ins: until `lockedUntil`, or until an admin unlocks when it is null. */
export function isLocked(user: Pick<User, 'lockedAt' | 'lockedUntil'>, now: Date): boolean {
  if (user.lockedAt === null) return false;
  return user.lockedUntil === null || user.lockedUntil.getTime() > now.getTime();
}

/** Erased users are tombstones: their id stays for the audit trail, nothing else. */
export function isErased(user: Pick<User, 'erasedAt'>): boolean {
  return user.erasedAt !== null;
}

/**
 * A new expiry must lie in the future: an account that should end now is
 * disabled instead. `field` names the input the date came from, for the
 * message and the issue's path.
 */
export function checkNewExpiry(expiresAt: Date | null | undefined, now: Date, field: string): Decision {
  if (!expiresAt || expiresAt.getTime() > now.getTime()) return allowed;
  return refuse('VALIDATION_FAILED', `${field} must be in the future (disable the user instead)`, {
    issues: [{ path: field, message: 'Must be in the future' }],
  });
}
