/**
 * Purge throughput: `maintenance.purge` removing ended sessions seeded
 * directly with SQL (`generate_series`), in batches of the policy's 1,000
 * rows, beside a share of live sessions that must stay. Rows per second of
 * the whole run, batches and their transactions included.
 */
import { UserManagement } from '../dist/index.js';
import { memoryMailer } from '../dist/memory.js';
import type { PostgresStorage } from '../dist/postgres.js';
import { withPglite, withServer } from './databases.js';
import type { Budget, Measurement } from './harness.js';

const suite = 'retention: maintenance.purge';
/** Every session ended before this moment by more than the 30 days kept. */
const now = new Date('2026-06-01T00:00:00Z');

/** Seeds `ended` sessions whose absolute end is long past and one live session per hundred, in chunks of a million. */
function seedStatements(table: string, ended: number): string[] {
  const live = Math.max(1, Math.floor(ended / 100));
  const chunk = 1_000_000;
  const statements: string[] = [];
  const insert = (from: number, to: number, absoluteEnd: string) =>
    `INSERT INTO ${table} (digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, ip, user_agent)
     SELECT md5(i::text) || md5((-i)::text), 'usr_' || (i % 10000), at, at, at + interval '8 hours', ${absoluteEnd},
            '192.0.2.1', 'bench'
     FROM generate_series(${from}, ${to}) AS i,
          LATERAL (SELECT timestamptz '2025-01-01' + (i % 200000) * interval '1 minute' AS at) AS seeded`;
  for (let from = 1; from <= ended; from += chunk) {
    statements.push(insert(from, Math.min(ended, from + chunk - 1), "at + interval '30 days'"));
  }
  statements.push(insert(ended + 1, ended + live, "timestamptz '2027-01-01'"));
  statements.push(`ANALYZE ${table}`);
  return statements;
}

async function purgeRun(
  name: string,
  storage: PostgresStorage,
  query: (text: string) => Promise<unknown>,
  table: string,
  ended: number,
): Promise<Measurement> {
  for (const statement of seedStatements(table, ended)) await query(statement);
  const um = new UserManagement({ storage, mailer: memoryMailer() });
  const started = process.hrtime.bigint();
  const report = await um.maintenance.purge({ now });
  const nanoseconds = Number(process.hrtime.bigint() - started);
  if (report.removed.sessions !== ended)
    throw new Error(`expected ${ended} sessions purged, not ${report.removed.sessions}`);
  const perRow = nanoseconds / ended;
  const rowsPerSecond = 1e9 / perRow;
  return {
    suite,
    name: `${name}: ${ended.toLocaleString('en-US')} ended sessions`,
    median: perRow,
    p95: perRow,
    opsPerSecond: rowsPerSecond,
    samples: 1,
    rounds: [perRow],
    note: `${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s in ${(nanoseconds / 1e9).toFixed(1)} s, batches of 1,000; ${Math.floor(ended / 100).toLocaleString('en-US')} live sessions kept`,
  };
}

export async function retentionBenchmarks(budget: Budget, databaseUrl: string | undefined): Promise<Measurement[]> {
  const rows: Measurement[] = [];
  rows.push(
    await withPglite((storage, db) =>
      purgeRun('PGlite', storage, (text) => db.query(text), 'tenantry_sessions', budget.quick ? 5_000 : 200_000),
    ),
  );
  const onServer = await withServer(databaseUrl, (storage, pool, schema) =>
    purgeRun(
      'PostgreSQL server',
      storage,
      (text) => pool.query(text),
      `"${schema}".tenantry_sessions`,
      budget.quick ? 20_000 : 10_000_000,
    ),
  );
  if (onServer) rows.push(onServer);
  return rows;
}
