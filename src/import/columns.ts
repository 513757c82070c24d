import { TenantryError } from '../errors.js';
import type { FieldCatalog } from '../fields.js';
import type { ResourceCatalog } from '../resources.js';

/**
 * The columns an import file may have, in the template's order. `email`,
 * `first_name` and `last_name` are required; the rest may be left out.
 * - `roles`, `permissions`: keys separated by `|` (or spaces);
 * - `organization`: the id of a sub-organization to put the user in (empty: the organization imported into);
 * - `locale`, `time_zone`, `date_format`, `time_format`, `number_format`: the user's formatting preferences;
 * - `expires_at`: an ISO 8601 date or date-time for a temporary account;
 * - `can_sign_in`: `true`/`false` (or yes/no, 1/0); `false` makes a contact record without a login.
 */
export const importColumns = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'roles',
  'permissions',
  'organization',
  'locale',
  'time_zone',
  'date_format',
  'time_format',
  'number_format',
  'expires_at',
  'can_sign_in',
] as const;

/** One built-in column of an import file. */
export type ImportColumn = (typeof importColumns)[number];

/**
 * A column of an import file: a built-in one, `field.<key>` for a profile
 * field, or `access.<type>` for the access to a resource type.
 */
export type ImportHeaderColumn = ImportColumn | `field.${string}` | `access.${string}`;

/** The installation's profile fields and resource types, whose columns an import file may have. */
export interface ImportCatalog {
  fields?: FieldCatalog | undefined;
  resources?: ResourceCatalog | undefined;
}

/** Every column an import file may have, in the template's order: the built-in ones, then fields, then access. */
export function importHeaderColumns(catalog: ImportCatalog = {}): ImportHeaderColumn[] {
  return [
    ...importColumns,
    ...(catalog.fields?.keys ?? []).map((key) => `field.${key}` as const),
    ...(catalog.resources?.keys ?? []).map((type) => `access.${type}` as const),
  ];
}

const requiredColumns: readonly ImportColumn[] = ['email', 'first_name', 'last_name'];

/**
 * The header line of an import file, every column in order: what an admin
 * downloads as a template and fills in a spreadsheet. Given the
 * installation's profile fields and resource types (`um.importTemplate()`
 * passes them), it ends with a `field.<key>` column per field and an
 * `access.<type>` column per resource type.
 *
 * @example
 * ```ts
 * import { importTemplate } from 'tenantry';
 * response.send(`${importTemplate({ fields, resources })}\n`);
 * ```
 */
export function importTemplate(catalog: ImportCatalog = {}): string {
  return importHeaderColumns(catalog).join(',');
}

/**
 * Reads a header row: names compared without case and surrounding spaces.
 * Unknown, repeated or missing required columns refuse the file with
 * `VALIDATION_FAILED`, naming them.
 */
export function checkHeader(header: readonly string[], catalog: ImportCatalog = {}): ImportHeaderColumn[] {
  // Field keys and resource types keep their case in the answer; a header may write them in any case.
  const known = new Map(importHeaderColumns(catalog).map((column) => [column.toLowerCase(), column]));
  const names = header.map((name) => known.get(name.trim().toLowerCase()) ?? name.trim().toLowerCase());
  const unknown = names.filter((name) => !known.has(name.toLowerCase()));
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  const missing = requiredColumns.filter((column) => !names.includes(column));
  if (unknown.length > 0 || repeated.length > 0 || missing.length > 0) {
    const problems = [
      unknown.length > 0 ? `unknown column(s) ${unknown.map((name) => `"${name}"`).join(', ')}` : null,
      repeated.length > 0 ? `repeated column(s) ${[...new Set(repeated)].join(', ')}` : null,
      missing.length > 0 ? `missing column(s) ${missing.join(', ')}` : null,
    ].filter(Boolean);
    throw new TenantryError('VALIDATION_FAILED', `The header does not fit the template: ${problems.join('; ')}`, {
      issues: [{ path: 'csv', message: `Expected columns from: ${importTemplate(catalog)}` }],
    });
  }
  return names as ImportHeaderColumn[];
}
