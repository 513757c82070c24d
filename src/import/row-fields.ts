import { TenantryError } from '../errors.js';
import { parseInput } from '../schemas/parse.js';
import { isStorableText } from '../schemas/text.js';
import { addUserSchema } from '../schemas/users.js';
import type { UserPreferences } from '../types.js';
import type { ImportColumn } from './columns.js';
import type { ImportRow } from './read-csv.js';

/** A row read as the fields of `users.add`, checked by the same schema; `organization` names a sub-organization. */
export interface ImportedUser {
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  roles: string[];
  permissions: string[];
  organization: string | null;
  preferences: UserPreferences;
  expiresAt: Date | null;
  canSignIn: boolean;
}

const yes = new Set(['true', 'yes', 'y', '1', 'x']);
const no = new Set(['false', 'no', 'n', '0']);

const list = (value: string | undefined) => (value ? value.split(/[|\s]+/u).filter(Boolean) : []);

function flag(value: string | undefined): boolean | string {
  if (value === undefined) return true;
  const lowered = value.toLowerCase();
  if (yes.has(lowered)) return true;
  if (no.has(lowered)) return false;
  return value; // Left for the schema to refuse.
}

/** Column names as the schema's issues name them, so a message points at the spreadsheet's column. */
const columnOf: Record<string, ImportColumn> = {
  organizationId: 'organization',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  roles: 'roles',
  permissions: 'permissions',
  'preferences.locale': 'locale',
  'preferences.timeZone': 'time_zone',
  'preferences.dateFormat': 'date_format',
  'preferences.timeFormat': 'time_format',
  'preferences.numberFormat': 'number_format',
  expiresAt: 'expires_at',
  canSignIn: 'can_sign_in',
};

/**
 * Reads one row into the fields of a new user, validated by the schema of
 * `users.add`; a bad value throws `VALIDATION_FAILED` naming its column.
 * (Whether the actor may grant the roles and permissions, and whether the
 * address is free, is for the import to check against storage.)
 */
export function importedUser({ values }: ImportRow): ImportedUser {
  const preferences = Object.fromEntries(
    Object.entries({
      locale: values.locale,
      timeZone: values.time_zone,
      dateFormat: values.date_format,
      timeFormat: values.time_format,
      numberFormat: values.number_format,
    }).filter(([, value]) => value !== undefined),
  );
  try {
    const parsed = parseInput(addUserSchema, {
      organizationId: values.organization ?? '-',
      email: values.email ?? '',
      firstName: values.first_name ?? '',
      lastName: values.last_name ?? '',
      phone: values.phone ?? null,
      roles: list(values.roles),
      permissions: list(values.permissions),
      preferences,
      // Spreadsheets write plain dates: a date alone means its start, in UTC.
      expiresAt: values.expires_at?.replace(/^(\d{4}-\d{2}-\d{2})$/u, '$1T00:00:00Z') ?? null,
      canSignIn: flag(values.can_sign_in),
    });
    return {
      email: parsed.email,
      firstName: parsed.firstName,
      lastName: parsed.lastName,
      phone: parsed.phone ?? null,
      roles: parsed.roles,
      permissions: parsed.permissions,
      organization: values.organization ?? null,
      preferences: parsed.preferences,
      expiresAt: parsed.expiresAt,
      canSignIn: parsed.canSignIn,
    };
  } catch (error) {
    if (!(error instanceof TenantryError)) throw error;
    const issue = (error.details.issues as { path: string; message: string }[] | undefined)?.[0];
    const column = issue ? (columnOf[issue.path] ?? columnOf[issue.path.split('.')[0] ?? ''] ?? issue.path) : 'row';
    throw new TenantryError('VALIDATION_FAILED', `${column}: ${issue?.message ?? error.message}`, {
      column,
    });
  }
}

/**
 * A row's email cell as an exception repeats it to the person who made the
 * file: as it was, but for characters no storage can keep (a NUL, an unpaired
 * surrogate), which become U+FFFD. (Whoever shows a report escapes the rest.)
 */
export function reportedEmail({ values }: ImportRow): string {
  const email = values.email ?? '';
  return isStorableText(email) ? email : email.replaceAll('\u0000', '\uFFFD').replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}
