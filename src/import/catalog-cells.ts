import { TenantryError } from '../errors.js';
import type { FieldCatalog } from '../fields.js';
import { checkFieldValues, type FieldChanges } from '../flows/profile-fields.js';
import { parseInput } from '../schemas/parse.js';
import { resourceAccessSchema } from '../schemas/users.js';
import type { FieldValue } from '../types.js';
import type { ImportHeaderColumn } from './columns.js';
import type { ImportRow } from './read-csv.js';

/** A row's access to one resource type: every resource, none, or these ids. */
export type ImportedAccess = 'all' | 'none' | readonly string[];

/** What a row says of the installation's profile fields and resource types, for the columns the file has. */
export interface ImportedCatalogCells {
  /** The values of the fields whose columns the file has; null (an empty cell) clears one. */
  fields: FieldChanges;
  /** The access to each type whose column the file has; an empty cell is none. */
  access: ReadonlyMap<string, ImportedAccess>;
}

const FIELD = 'field.';
const ACCESS = 'access.';

/** A number as a spreadsheet writes it without separators: `42`, `-1.5`, `2e3`. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/iu;

const truths = new Map([
  ...['true', 'yes', 'y', '1', 'x'].map((word) => [word, true] as const),
  ...['false', 'no', 'n', '0'].map((word) => [word, false] as const),
]);

function refuse(column: string, message: string): TenantryError {
  return new TenantryError('VALIDATION_FAILED', `${column}: ${message}`, { column });
}

/** A cell as the value of its field's type: a number or a flag read from text; the field's schema judges it. */
function cellValue(catalog: FieldCatalog, key: string, cell: string): FieldValue {
  const type = catalog.fields.get(key)?.type;
  if (type === 'number') return DECIMAL.test(cell) ? Number(cell) : cell;
  if (type === 'boolean') return truths.get(cell.toLowerCase()) ?? cell;
  return cell;
}

/**
 * A cell of an `access.<type>` column: `all` (in any case) for every
 * resource of the type, empty for none, else resource ids separated by `|`
 * (ids may hold spaces; each is trimmed).
 */
export function accessCell(column: string, cell: string | undefined): ImportedAccess {
  if (cell === undefined) return 'none';
  if (cell.toLowerCase() === 'all') return 'all';
  const ids = cell
    .split('|')
    .map((id) => id.trim())
    .filter(Boolean);
  try {
    const parsed = parseInput(resourceAccessSchema, { ids });
    return typeof parsed === 'string' ? parsed : [...new Set(parsed.ids)].sort();
  } catch (error) {
    if (!(error instanceof TenantryError)) throw error;
    const issue = (error.details.issues as { message: string }[] | undefined)?.[0];
    throw refuse(column, issue?.message ?? 'Not resource ids');
  }
}

/**
 * Reads the `field.<key>` and `access.<type>` cells of a row, for the
 * columns the file has: each field value checked by its field's type (a
 * number column takes `1.5`, a flag `yes`/`no`), each access cell
 * as {@link accessCell} reads it. A bad cell throws `VALIDATION_FAILED`
 * naming its column.
 */
export function importedCatalogCells(
  row: ImportRow,
  columns: readonly ImportHeaderColumn[],
  fieldCatalog: FieldCatalog,
): ImportedCatalogCells {
  const raw: Record<string, FieldValue | null> = {};
  const access = new Map<string, ImportedAccess>();
  for (const column of columns) {
    const cell = row.values[column];
    if (column.startsWith(FIELD)) {
      const key = column.slice(FIELD.length);
      raw[key] = cell === undefined ? null : cellValue(fieldCatalog, key, cell);
    } else if (column.startsWith(ACCESS)) {
      access.set(column.slice(ACCESS.length), accessCell(column, cell));
    }
  }
  try {
    return { fields: checkFieldValues(fieldCatalog, raw), access };
  } catch (error) {
    if (!(error instanceof TenantryError)) throw error;
    const issue = (error.details.issues as { path: string; message: string }[] | undefined)?.[0];
    const column = `${FIELD}${issue?.path.slice('fields.'.length) ?? ''}`;
    throw refuse(column, issue?.message ?? error.message);
  }
}
