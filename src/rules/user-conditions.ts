import type { User } from '../types.js';

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
