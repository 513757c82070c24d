import type { Session, User } from '../../src/adapter-kit/index.js';

/**
 * A deep copy of a stored record: plain objects, arrays, Dates and primitives
 * (all a record holds). Records go in and out of the memory adapter as copies,
 * so nobody can change stored data by mutating what they were given; this is
 * several times faster than `structuredClone` for records this small.
 */
export function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = copy((value as Record<string, unknown>)[key]);
  return result as T;
}

const date = (value: Date | null): Date | null => (value === null ? null : new Date(value.getTime()));

/**
 * A copy of a user, field by field. Objects built with one literal keep a fast
 * shape in V8; a generic copy of a record this wide makes every later spread of
 * it several microseconds slower.
 */
export function copyUser(user: User): User {
  return {
    id: user.id,
    organizationId: user.organizationId,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone,
    status: user.status,
    canSignIn: user.canSignIn,
    permissions: [...user.permissions],
    roles: [...user.roles],
    expiresAt: date(user.expiresAt),
    failedSignIns: user.failedSignIns,
    lockedAt: date(user.lockedAt),
    lockedUntil: date(user.lockedUntil),
    mustChangePassword: user.mustChangePassword,
    emailNotifications: user.emailNotifications,
    preferences: copy(user.preferences),
    // Field values are texts, numbers and flags: a shallow copy is a deep one.
    fields: { ...user.fields },
    termsAcceptedAt: date(user.termsAcceptedAt),
    createdAt: new Date(user.createdAt.getTime()),
    updatedAt: new Date(user.updatedAt.getTime()),
    activatedAt: date(user.activatedAt),
    lastSignInAt: date(user.lastSignInAt),
    erasedAt: date(user.erasedAt),
  };
}

/** A copy of a session, field by field (see {@link copyUser}). */
export function copySession(session: Session): Session {
  return {
    digest: session.digest,
    userId: session.userId,
    createdAt: new Date(session.createdAt.getTime()),
    lastSeenAt: new Date(session.lastSeenAt.getTime()),
    expiresAt: new Date(session.expiresAt.getTime()),
    absoluteExpiresAt: new Date(session.absoluteExpiresAt.getTime()),
    authenticationMethods: [...session.authenticationMethods],
    enrollmentDueAt: date(session.enrollmentDueAt),
    ip: session.ip,
    userAgent: session.userAgent,
    revokedAt: date(session.revokedAt),
  };
}
