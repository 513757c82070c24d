import type { PurgeKind, RetentionRepository } from '../../src/adapter-kit/index.js';
import { Parameters, type SqlDialect, type SqlExecutor } from './dialect.js';

/**
 * What each kind's purge deletes: the table, its key, and the conditions
 * that select a row before the cutoff `$1`. Each condition is one statement
 * of its own, so each walks its own index (see the retention migration).
 */
const targets: Record<PurgeKind, { table: string; key: string; conditions: readonly string[] }> = {
  sessions: {
    table: 'tenantry_sessions',
    key: 'digest',
    conditions: ['absolute_expires_at < $1', 'revoked_at < $1'],
  },
  tokens: { table: 'tenantry_tokens', key: 'digest', conditions: ['expires_at < $1', 'consumed_at < $1'] },
  webauthnChallenges: { table: 'tenantry_webauthn_challenges', key: 'digest', conditions: ['expires_at < $1'] },
  ssoLogins: { table: 'tenantry_sso_logins', key: 'digest', conditions: ['expires_at < $1'] },
  ssoAssertions: {
    table: 'tenantry_sso_assertions',
    key: '(connection_id, assertion_id)',
    conditions: ['expires_at < $1'],
  },
  importReports: { table: 'tenantry_imports', key: 'id', conditions: ['updated_at < $1'] },
  auditEvents: { table: 'tenantry_audit_events', key: 'id', conditions: ['at < $1'] },
};

/**
 * Deletes by key the rows a `LIMIT`ed subselect found through the
 * condition's index, never one unbounded `DELETE`; the condition is checked
 * again on each row deleted, and rows another transaction holds are passed
 * over (where the dialect locks rows), to go in a later run.
 */
function deleteStatement(
  dialect: SqlDialect,
  target: { table: string; key: string },
  condition: string,
  cutoff: Date,
  limit: number,
): { text: string; values: unknown[] } {
  const params = new Parameters(dialect);
  const selects = () => condition.replace('$1', dialect.dateValue(params.date(cutoff)));
  const { table, key } = target;
  const columns = key.replace(/^\(|\)$/g, '');
  const outer = selects();
  const inner = selects();
  const text =
    `DELETE FROM ${table} WHERE ${outer} AND ${key} IN ` +
    `(SELECT ${columns} FROM ${table} WHERE ${inner} LIMIT ${params.bind(limit)}${dialect.lockRowsSkippingHeld}) ` +
    'RETURNING 1 AS removed';
  return { text, values: params.values };
}

/** The purge over SQL, in the given dialect: each call at most `limit` rows, in the transaction it runs in. */
export function retentionRepository(sql: SqlExecutor, dialect: SqlDialect): RetentionRepository {
  return {
    async purge(kind, before, limit) {
      const target = targets[kind];
      let removed = 0;
      for (const condition of target.conditions) {
        if (removed >= limit) break;
        const { text, values } = deleteStatement(dialect, target, condition, before, limit - removed);
        removed += (await sql.query(text, values)).length;
      }
      return removed;
    },
  };
}
