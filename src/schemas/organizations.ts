import { z } from 'zod';
import { emailSchema, idSchema, keyListSchema, nameSchema, phoneSchema } from './common.js';
import { jsonValueSchema } from './json.js';
import { displayText, storableText } from './text.js';

const line = displayText({ max: 200 });

/** A postal address. */
export const addressSchema = z.strictObject({
  line1: line,
  line2: line.optional(),
  city: line,
  postalCode: displayText({ max: 32 }).optional(),
  region: line.optional(),
  country: displayText({ min: 2, max: 100 }),
});

/** Company details. */
export const profileSchema = z.strictObject({
  phone: displayText({ min: 0, max: 200 }).optional(),
  website: displayText({ min: 0, max: 500 }).optional(),
  addresses: z
    .strictObject({
      actual: addressSchema.optional(),
      legal: addressSchema.optional(),
      shipping: addressSchema.optional(),
    })
    .optional(),
});

/** Free JSON attributes: each value nested at most 32 levels (`MAX_JSON_DEPTH`), 16 KB of JSON in all. */
export const attributesSchema = z
  .record(storableText(100), jsonValueSchema)
  .refine((value) => JSON.stringify(value).length <= 16_384, 'Attributes are limited to 16 KB of JSON');

/** The first user of a new organization. */
export const firstUserSchema = z.strictObject({
  email: emailSchema,
  firstName: nameSchema,
  lastName: nameSchema,
  phone: phoneSchema.optional(),
  invite: z.boolean().default(true),
});

/** Input of `organizations.create`. */
export const createOrganizationSchema = z.strictObject({
  name: nameSchema,
  kind: z.enum(['standard', 'partner']).default('standard'),
  parentId: idSchema.optional(),
  partnerId: idSchema.optional(),
  features: keyListSchema.optional(),
  allowedRoles: keyListSchema.nullable().optional(),
  attributes: attributesSchema.optional(),
  profile: profileSchema.optional(),
  firstUser: firstUserSchema,
});
/** Input of `organizations.create`. */
export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;

/** Input of `organizations.list`. */
export const listOrganizationsSchema = z
  .strictObject({ partnerId: idSchema.optional(), parentId: idSchema.optional() })
  .default({});
/** Input of `organizations.list`. */
export type ListOrganizationsInput = z.input<typeof listOrganizationsSchema>;

/** Input of `organizations.update`. */
export const updateOrganizationSchema = z.strictObject({
  name: nameSchema.optional(),
  profile: profileSchema.optional(),
  attributes: attributesSchema.optional(),
});
/** Input of `organizations.update`. */
export type UpdateOrganizationInput = z.input<typeof updateOrganizationSchema>;

/** Company-level features. */
export const featuresSchema = keyListSchema;
/** Standard roles an organization may assign, or null for all. */
export const allowedRolesSchema = keyListSchema.nullable();
