import { newId } from '../random.js';
import type { User, UserPreferences } from '../types.js';

/** The person-level fields a new user starts with. */
export interface NewUserFields {
  email: string;
  firstName: string;
  lastName: string;
  phone?: string | null | undefined;
  permissions?: readonly string[];
  roles?: readonly string[];
  canSignIn?: boolean;
  expiresAt?: Date | null;
  preferences?: UserPreferences;
  emailNotifications?: boolean;
}

/** A new, pending user record. */
export function newUser(now: Date, organizationId: string, fields: NewUserFields): User {
  return {
    id: newId('usr'),
    organizationId,
    email: fields.email,
    firstName: fields.firstName,
    lastName: fields.lastName,
    phone: fields.phone ?? null,
    status: 'pending',
    canSignIn: fields.canSignIn ?? true,
    permissions: [...(fields.permissions ?? [])],
    roles: [...(fields.roles ?? [])],
    expiresAt: fields.expiresAt ?? null,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword: false,
    emailNotifications: fields.emailNotifications ?? true,
    preferences: { ...(fields.preferences ?? {}) },
    termsAcceptedAt: null,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
    lastSignInAt: null,
    erasedAt: null,
  };
}

/** What erasure leaves of a user: the id, the organization and the dates; no personal data. */
export function erasedUser(user: User, now: Date): User {
  return {
    ...user,
    email: `erased+${user.id}@erased.invalid`,
    firstName: '',
    lastName: '',
    phone: null,
    status: 'disabled',
    canSignIn: false,
    permissions: [],
    roles: [],
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    mustChangePassword: false,
    emailNotifications: false,
    preferences: {},
    updatedAt: now,
    erasedAt: now,
  };
}
