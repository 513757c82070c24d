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

/**
 * Profile field values as sent, by key: a text, a number, a flag, or null to
 * clear one. Which keys exist and what each takes is the installation's
 * (`defineUserFields`), checked when the call runs.
 */
export const fieldValuesSchema = z.record(
  storableText(64),
  z.union([storableText(100_000), z.number(), z.boolean(), z.null()]),
);

/** A resource type's key, as the catalog names it (`instance`). */
export const resourceTypeSchema = storableText(100).min(1);

/** A resource's id, as the host app names it (unique within an organization). */
export const resourceIdSchema = storableText(200).min(1);

/** A user's new access to one type: every resource, none, or these ids. */
export const resourceAccessSchema = z.union([
  z.literal('all'),
  z.literal('none'),
  z.strictObject({ ids: z.array(resourceIdSchema).max(10_000) }),
]);
/** Input of `users.setResourceAccess`. */
export type ResourceAccessInput = z.input<typeof resourceAccessSchema>;

/** One resource of an organization: its type and id. */
export const resourceSchema = z.strictObject({ type: resourceTypeSchema, id: resourceIdSchema });

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
  fields: fieldValuesSchema.default({}),
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
  /** Profile field values to set (null clears one); fields left out stay as they are. */
  fields: fieldValuesSchema.optional(),
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
  /** Only users with effective access to this resource. */
  resource: resourceSchema.optional(),
  sort: z.enum(['createdAt', 'name', 'email']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: limitSchema.default(50),
  cursor: cursorSchema.optional(),
});
/** Input of `users.list`. */
export type ListUsersInput = z.input<typeof listUsersSchema>;

/** Input of `resources.holders`. */
export const resourceHoldersSchema = z.strictObject({
  organizationId: idSchema,
  type: resourceTypeSchema,
  resourceId: resourceIdSchema,
  limit: limitSchema.default(50),
  cursor: cursorSchema.optional(),
});
/** Input of `resources.holders`. */
export type ResourceHoldersInput = z.input<typeof resourceHoldersSchema>;

/** Input of `resources.forget`. */
export const forgetResourceSchema = z.strictObject({
  organizationId: idSchema,
  type: resourceTypeSchema,
  resourceId: resourceIdSchema,
});
/** Input of `resources.forget`. */
export type ForgetResourceInput = z.input<typeof forgetResourceSchema>;
