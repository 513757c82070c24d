import { z } from 'zod';
import { cursorSchema, dateSchema, idSchema, keyListSchema, limitSchema, nameSchema } from './common.js';
import { storableText } from './text.js';

/** Input of `roles.createCustom`. */
export const customRoleSchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9][\w.:-]{0,99}$/, 'Letters, digits, and . _ : - only'),
  label: nameSchema,
  permissions: keyListSchema,
});
/** Input of `roles.createCustom`. */
export type CustomRoleInput = z.input<typeof customRoleSchema>;

/** A role key. */
export const roleKeySchema = storableText(100).min(1);

/** Input of `audit.list`. */
export const listAuditSchema = z.strictObject({
  organizationId: idSchema,
  action: storableText(100).min(1).optional(),
  targetId: idSchema.optional(),
  after: dateSchema.optional(),
  before: dateSchema.optional(),
  limit: limitSchema.default(50),
  cursor: cursorSchema.optional(),
  /** Also answer the names of the users and organizations the page mentions. */
  names: z.boolean().optional(),
});
/** Input of `audit.list`. */
export type ListAuditInput = z.input<typeof listAuditSchema>;
