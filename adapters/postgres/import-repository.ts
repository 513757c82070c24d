import type { ImportRepository } from '../../src/ports/storage.js';
import type { SqlExecutor } from './executor.js';
import { importReportColumns, importReportFrom, importReportValues } from './rows.js';

// The exceptions go as JSON text (`::text::jsonb`), so every driver sends them the same way.
const values = importReportColumns
  .split(', ')
  .map((column, index) => (column === 'exceptions' ? `$${index + 1}::text::jsonb` : `$${index + 1}`));
const assignments = importReportColumns
  .split(', ')
  .slice(1)
  .map((column, index) => `${column} = ${values[index + 1]}`)
  .join(', ');

/** The import history over SQL. */
export function importRepository(sql: SqlExecutor): ImportRepository {
  return {
    async insert(report) {
      await sql.query(
        `INSERT INTO tenantry_imports (${importReportColumns}) VALUES (${values.join(', ')})`,
        importReportValues(report),
      );
    },
    async update(report) {
      await sql.query(`UPDATE tenantry_imports SET ${assignments} WHERE id = $1`, importReportValues(report));
    },
    async get(id) {
      const [row] = await sql.query(`SELECT ${importReportColumns} FROM tenantry_imports WHERE id = $1`, [id]);
      return row ? importReportFrom(row) : null;
    },
    async list(organizationId, limit) {
      const rows = await sql.query(
        `SELECT ${importReportColumns} FROM tenantry_imports WHERE organization_id = $1
         ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT $2`,
        [organizationId, limit],
      );
      return rows.map(importReportFrom);
    },
  };
}
