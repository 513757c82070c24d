import { z } from 'zod';
import {
  cursorSchema,
  dateSchema,
  emailSchema,
  idSchema,
  keyListSchema,
  limitSchema,
  nameSchema,
  phoneSchema,
  preferencesSchema,
} from './common.js';
import { storableText } from './text.js';

/** Input of `users.add`. */
export const addUserSchema = z.strictObject({
  organizationId: idSchema,
  email: emailSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  phone: phoneSchema.optional(),
  permissions: keyListSchema.default([]),
  roles: keyListSchema.default([]),
  invite: z.boolean().default(true),
  canSignIn: z.boolean().default(true),
  expiresAt: dateSchema.nullable().default(null),
  preferences: preferencesSchema.default({}),
  emailNotifications: z.boolean().default(true),
});
/** Input of `users.add`. */
export type AddUserInput = z.input<typeof addUserSchema>;

/** Input of `users.update`: the profile fields a user may also change themselves. */
export const updateUserSchema = z.strictObject({
  firstName: nameSchema.optional(),
  lastName: nameSchema.optional(),
  phone: phoneSchema.optional(),
  preferences: preferencesSchema.optional(),
  emailNotifications: z.boolean().optional(),
});
/** Input of `users.update`. */
export type UpdateUserInput = z.input<typeof updateUserSchema>;

/** Input of `users.setAccess`. */
export const setAccessSchema = z.strictObject({
  permissions: keyListSchema.optional(),
  roles: keyListSchema.optional(),
  canSignIn: z.boolean().optional(),
});
/** Input of `users.setAccess`. */
export type SetAccessInput = z.input<typeof setAccessSchema>;

/** The expiry of a temporary account, or null for a lasting one. */
export const expirySchema = dateSchema.nullable();

/** A session's id, as sessions are listed with (`users.sessions`). */
export const sessionIdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'Not a session id');

/** Input of `users.changeEmail`. */
export const changeEmailSchema = emailSchema;

const statusSchema = z.enum(['pending', 'active', 'disabled']);

/** Input of `users.list`. */
export const listUsersSchema = z.strictObject({
  organizationId: idSchema,
  search: storableText(200).optional(),
  roles: keyListSchema.optional(),
  permissions: keyListSchema.optional(),
  status: z
    .union([statusSchema, z.array(statusSchema).min(1).max(3)])
    .transform((value) => (Array.isArray(value) ? [...new Set(value)] : [value]))
    .default(['active']),
  createdAfter: dateSchema.optional(),
  createdBefore: dateSchema.optional(),
  sort: z.enum(['createdAt', 'name', 'email']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: limitSchema.default(50),
  cursor: cursorSchema.optional(),
});
/** Input of `users.list`. */
export type ListUsersInput = z.input<typeof listUsersSchema>;
