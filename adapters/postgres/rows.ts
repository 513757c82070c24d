import { type ColumnCodec, rowMapping } from '../sql/row-mapping.js';

export { importReportColumns, organizationColumns, userColumns, userWriteColumns } from '../sql/row-mapping.js';

/**
 * PostgreSQL's representation: timestamptz columns as `Date`, text[] columns
 * as arrays, jsonb as objects (so postgres.js stores real jsonb rather than a
 * string) and top-level JSON arrays as text, which pg would otherwise send as
 * a PostgreSQL array.
 */
const postgresCodec: ColumnCodec = {
  readDate: (value) => (value instanceof Date ? value : new Date(String(value))),
  writeDate: (value) => value,
  readJson: <T>(value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as T,
  writeJson: (value) => (Array.isArray(value) ? JSON.stringify(value) : value),
  readBoolean: (value) => Boolean(value),
  writeBoolean: (value) => value,
  readList: (value) => (value as string[] | null) ?? [],
  writeList: (value) => value,
};

export const {
  organizationFrom,
  organizationValues,
  userFrom,
  userValues,
  customRoleFrom,
  auditEventFrom,
  tokenFrom,
  sessionFrom,
  importReportFrom,
  importReportValues,
} = rowMapping(postgresCodec);
