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

/**
 * Input of `audit.export`: the filters of `audit.list`, without its paging
 * (an export reads the whole trail they select).
 */
export const exportAuditSchema = z.strictObject({
  organizationId: idSchema,
  action: storableText(100).min(1).optional(),
  targetId: idSchema.optional(),
  after: dateSchema.optional(),
  before: dateSchema.optional(),
});
/** Input of `audit.export`. */
export type ExportAuditInput = z.input<typeof exportAuditSchema>;

/** The events an export reads per page (each page in a transaction of its own) unless told otherwise. */
export const AUDIT_EXPORT_PAGE_SIZE = 500;

/** Options of `audit.export`. */
export const exportAuditOptionsSchema = z
  .strictObject({
    /** Events read per page, each page in a short transaction of its own: 1 to 1000 (default 500). */
    pageSize: z.number().int().min(1).max(1000).default(AUDIT_EXPORT_PAGE_SIZE),
  })
  .prefault({});
/** Options of `audit.export`. */
export type ExportAuditOptions = z.input<typeof exportAuditOptionsSchema>;
