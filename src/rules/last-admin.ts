import { ORG_ADMIN } from '../built-in-permissions.js';
import type { User } from '../types.js';
import { allowed, type Decision, refuse } from './decision.js';

/**
 * Whether a user keeps their organization administered: effective `org.admin`,
 * able to sign in, not disabled, not erased, and not temporary. A pending first
 * admin counts (they can still activate); a temporary admin does not, because
 * their expiry would leave the organization without one.
 */
export function countsAsAdmin(
  user: Pick<User, 'canSignIn' | 'status' | 'erasedAt' | 'expiresAt'>,
  effectivePermissions: readonly string[] | ReadonlySet<string>,
): boolean {
  const hasAdmin = Array.isArray(effectivePermissions)
    ? effectivePermissions.includes(ORG_ADMIN)
    : (effectivePermissions as ReadonlySet<string>).has(ORG_ADMIN);
  return hasAdmin && user.canSignIn && user.status !== 'disabled' && user.erasedAt === null && user.expiresAt === null;
}

/**
 * Invariant 1: every organization keeps at least one admin. A change that
 * takes the count of admins from some to none is refused with `LAST_ADMIN`.
 */
export function checkKeepsAdmin(adminsBefore: number, adminsAfter: number): Decision {
  if (adminsBefore > 0 && adminsAfter === 0) {
    return refuse('LAST_ADMIN', 'The organization must keep at least one admin', { adminsBefore, adminsAfter });
  }
  return allowed;
}
