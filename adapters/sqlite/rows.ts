import { type ColumnCodec, rowMapping } from '../sql/row-mapping.js';

export { importReportColumns, organizationColumns, userColumns, userWriteColumns } from '../sql/row-mapping.js';

/** A date as stored: epoch milliseconds. */
export const millis = (value: Date): number => value.getTime();
/** A date or null as stored. */
export const maybeMillis = (value: Date | null): number | null => (value === null ? null : value.getTime());

/** SQLite's representation: dates as epoch milliseconds, booleans as 0/1, JSON and lists as JSON text. */
const sqliteCodec: ColumnCodec = {
  readDate: (value) => new Date(Number(value)),
  writeDate: millis,
  readJson: <T>(value: unknown) => JSON.parse(String(value)) as T,
  writeJson: (value) => JSON.stringify(value),
  readBoolean: (value) => value === 1,
  writeBoolean: (value) => (value ? 1 : 0),
  readList: (value) => JSON.parse(String(value)) as string[],
  writeList: (value) => JSON.stringify(value),
};

export const {
  organizationFrom,
  organizationValues,
  userFrom,
  userValues,
  customRoleFrom,
  auditEventFrom,
  credentialFrom,
  tokenFrom,
  sessionFrom,
  importReportFrom,
  importReportValues,
} = rowMapping(sqliteCodec);

/** `INSERT` and `UPDATE … WHERE id = ?` for a table whose first column is its id. */
export function writes(table: string, columns: string): { insert: string; update: string } {
  const names = columns.split(', ');
  return {
    insert: `INSERT INTO ${table} (${columns}) VALUES (${names.map(() => '?').join(', ')})`,
    update: `UPDATE ${table} SET ${names
      .slice(1)
      .map((name) => `${name} = ?`)
      .join(', ')} WHERE id = ?`,
  };
}

/** The values of an `update` statement from `writes`: every column but the id, then the id. */
export const updateValues = ([id, ...rest]: unknown[]): unknown[] => [...rest, id];
