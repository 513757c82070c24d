import type { ImportRepository } from '../../src/adapter-kit/index.js';
import { Parameters, type SqlDialect, type SqlExecutor } from './dialect.js';
import { importReportColumns } from './row-mapping.js';

const columns = importReportColumns.split(', ');

/** The import history over SQL, in the given dialect. */
export function importRepository(sql: SqlExecutor, dialect: SqlDialect): ImportRepository {
  const { rows } = dialect;
  /** Binds a column's value; the exceptions (a JSON array) as the column expects them. */
  const bindColumn = (params: Parameters, column: string, value: unknown) => {
    const placeholder = params.bind(value);
    return column === 'exceptions' ? dialect.jsonArray(placeholder) : placeholder;
  };
  return {
    async insert(report) {
      const params = new Parameters(dialect);
      const values = rows.importReportValues(report);
      const placeholders = columns.map((column, index) => bindColumn(params, column, values[index]));
      await sql.query(
        `INSERT INTO tenantry_imports (${importReportColumns}) VALUES (${placeholders.join(', ')})`,
        params.values,
      );
    },
    async update(report) {
      const [id, ...rest] = rows.importReportValues(report);
      const params = new Parameters(dialect);
      const assignments = columns
        .slice(1)
        .map((column, index) => `${column} = ${bindColumn(params, column, rest[index])}`);
      await sql.query(
        `UPDATE tenantry_imports SET ${assignments.join(', ')} WHERE id = ${params.bind(id)}`,
        params.values,
      );
    },
    async get(id) {
      const [row] = await sql.query(
        `SELECT ${importReportColumns} FROM tenantry_imports WHERE id = ${dialect.placeholder(1)}`,
        [id],
      );
      return row ? rows.importReportFrom(row) : null;
    },
    async list(organizationId, limit) {
      const { bind, values } = new Parameters(dialect);
      const found = await sql.query(
        `SELECT ${importReportColumns} FROM tenantry_imports WHERE organization_id = ${bind(organizationId)}
         ORDER BY started_at DESC, ${dialect.bytewise('id')} DESC LIMIT ${bind(limit)}`,
        values,
      );
      return found.map(rows.importReportFrom);
    },
  };
}
