import type { ImportRepository } from '../../src/ports/storage.js';
import type { ImportReport } from '../../src/types.js';
import type { Row, SqlExecutor } from './connection.js';
import { date, json, maybeDate, maybeMillis, millis } from './rows.js';

const columns =
  'id, organization_id, requested_by, status, mode, dry_run, total, created, updated, skipped, failed, exceptions, started_at, finished_at';
const assignments = columns
  .split(', ')
  .slice(1)
  .map((column) => `${column} = ?`)
  .join(', ');

function reportFrom(row: Row): ImportReport {
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    requestedBy: json(row.requested_by),
    status: row.status as ImportReport['status'],
    mode: row.mode as ImportReport['mode'],
    dryRun: row.dry_run === 1,
    total: Number(row.total),
    created: Number(row.created),
    updated: Number(row.updated),
    skipped: Number(row.skipped),
    failed: Number(row.failed),
    exceptions: json(row.exceptions),
    startedAt: date(row.started_at),
    finishedAt: maybeDate(row.finished_at),
  };
}

function reportValues(r: ImportReport): unknown[] {
  return [
    JSON.stringify(r.requestedBy),
    r.status,
    r.mode,
    r.dryRun ? 1 : 0,
    r.total,
    r.created,
    r.updated,
    r.skipped,
    r.failed,
    JSON.stringify(r.exceptions),
    millis(r.startedAt),
    maybeMillis(r.finishedAt),
  ];
}

/** The import history over SQLite. */
export function importRepository(sql: SqlExecutor): ImportRepository {
  return {
    async insert(report) {
      sql.run(`INSERT INTO tenantry_imports (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        report.id,
        report.organizationId,
        ...reportValues(report),
      ]);
    },
    async update(report) {
      sql.run(`UPDATE tenantry_imports SET ${assignments} WHERE id = ?`, [
        report.organizationId,
        ...reportValues(report),
        report.id,
      ]);
    },
    async get(id) {
      const [row] = sql.all(`SELECT ${columns} FROM tenantry_imports WHERE id = ?`, [id]);
      return row ? reportFrom(row) : null;
    },
    async list(organizationId, limit) {
      const rows = sql.all(
        `SELECT ${columns} FROM tenantry_imports WHERE organization_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`,
        [organizationId, limit],
      );
      return rows.map(reportFrom);
    },
  };
}
