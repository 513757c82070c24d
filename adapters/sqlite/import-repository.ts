import type { ImportRepository } from '../../src/ports/storage.js';
import type { SqlExecutor } from './connection.js';
import { importReportColumns, importReportFrom, importReportValues, updateValues, writes } from './rows.js';

const importWrites = writes('tenantry_imports', importReportColumns);

/** The import history over SQLite. */
export function importRepository(sql: SqlExecutor): ImportRepository {
  return {
    async insert(report) {
      sql.run(importWrites.insert, importReportValues(report));
    },
    async update(report) {
      sql.run(importWrites.update, updateValues(importReportValues(report)));
    },
    async get(id) {
      const [row] = sql.all(`SELECT ${importReportColumns} FROM tenantry_imports WHERE id = ?`, [id]);
      return row ? importReportFrom(row) : null;
    },
    async list(organizationId, limit) {
      const rows = sql.all(
        `SELECT ${importReportColumns} FROM tenantry_imports WHERE organization_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
        [organizationId, limit],
      );
      return rows.map(importReportFrom);
    },
  };
}
