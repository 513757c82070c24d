import { type RateLimitAnswer, type RateLimiter, spendAllowance } from '../../src/adapter-kit/index.js';
import { type PreparedStatements, type SqlDatabase, type SqlExecutor, sqlDatabase } from './executor.js';
import { retrying } from './retry.js';
import { checkSchemaName, inSchema } from './schema.js';

/**
 * `spendAllowance` in SQL, for a key whose state is `previous`: a row of the
 * new `next_at` and, when the spend does not fit, the unchanged state and
 * `retry_after_ms`. The same double-precision operations in the same order
 * (and the same rounding allowance), so it decides exactly as the rule does;
 * it is the rule's mechanism, run where the row is locked, not a policy.
 * Parameters: $2 now, $3 cost, $4 emission interval, $5 window (all ms).
 */
const spend = (previous: string) => `
  SELECT CASE WHEN excess > 1e-6::float8 THEN ${previous} ELSE start + $3::float8 * $4::float8 END AS next_at,
         CASE WHEN excess > 1e-6::float8 THEN ceil(excess) END AS retry_after_ms
  FROM (SELECT start, start + greatest($3::float8, 1) * $4::float8 - $2::float8 - $5::float8 AS excess
        FROM (SELECT greatest(${previous}, $2::float8) AS start) AS moved) AS decided`;

/**
 * One statement, atomic across processes: a key seen for the first time is
 * inserted with the spend from nothing (state 0); a key that exists is
 * locked by ON CONFLICT, and its SET list, which sees the latest committed
 * row rather than the statement's snapshot, decides from it. Concurrent
 * spends on one key therefore queue on its row, each deciding on what the
 * previous one committed. A refusal writes the state it found back, and
 * `retry_after_ms` tells it apart (null: allowed). A key refused on its first
 * spend (a cost above the limit) keeps state 0, which is the same as none.
 */
const spendStatement = `
INSERT INTO tenantry_rate_limits AS kept (key, next_at, retry_after_ms)
SELECT $1::text, fresh.next_at, fresh.retry_after_ms FROM (${spend('0::float8')}) AS fresh
ON CONFLICT (key) DO UPDATE SET (next_at, retry_after_ms) = (${spend('kept.next_at')})
RETURNING retry_after_ms`;

/** Asking (cost 0) only reads, so a key never seen is never written. */
const askStatement = 'SELECT next_at FROM tenantry_rate_limits WHERE key = $1';

/**
 * Deletes up to `$2` keys (a thousand between spends) whose allowance has fully recovered (state at
 * or before now: the same as no row). Rows a spend holds are skipped, and
 * `next_at` is checked again on the row deleted, so a key spent meanwhile stays.
 */
const sweepStatement = `
DELETE FROM tenantry_rate_limits WHERE next_at <= $1::float8 AND key IN (
  SELECT key FROM tenantry_rate_limits WHERE next_at <= $1::float8 LIMIT $2 FOR UPDATE SKIP LOCKED)
RETURNING 1 AS forgotten`;

/** How a SQL rate limiter runs: the retries of a transient failure, and after how many spends it sweeps (1,000). */
export interface SqlRateLimiterSettings {
  retries: number;
  sweepEvery?: number;
}

/**
 * The shared rate limiter over a PostgreSQL executor, one statement per call
 * and outside any transaction. Every `sweepEvery` spends, this process also
 * deletes a batch of recovered keys: each spend adds at most one row and a
 * sweep removes up to a thousand, so the table holds about the keys in use.
 */
export function sqlRateLimiter(db: SqlExecutor, settings: SqlRateLimiterSettings): RateLimiter {
  const sweepEvery = settings.sweepEvery ?? 1_000;
  let spends = 0;
  const sweep = async (now: number) => {
    // Housekeeping only: a failed sweep changes no answer, and the next one deletes the same rows.
    await db.query(sweepStatement, [now, 1_000]).catch(() => undefined);
  };
  return {
    async consume(key, rate, now, cost = 1): Promise<RateLimitAnswer> {
      const at = now.getTime();
      if (cost === 0) {
        const [row] = await retrying(settings.retries, () => db.query(askStatement, [key], { prepare: true }));
        const decision = spendAllowance(row ? Number(row.next_at) : 0, at, rate, 0);
        return decision.allowed ? { allowed: true } : { allowed: false, retryAfterMs: decision.retryAfterMs };
      }
      const params = [key, at, cost, rate.windowMs / rate.limit, rate.windowMs];
      const [row] = await retrying(settings.retries, () => db.query(spendStatement, params, { prepare: true }));
      spends += 1;
      if (spends % sweepEvery === 0) await sweep(at);
      const retryAfterMs = row?.retry_after_ms;
      return retryAfterMs === null || retryAfterMs === undefined
        ? { allowed: true }
        : { allowed: false, retryAfterMs: Number(retryAfterMs) };
    },
    async forgetRecovered(now, limit) {
      const rows = await retrying(settings.retries, () => db.query(sweepStatement, [now.getTime(), limit]));
      return rows.length;
    },
  };
}

/** Options of {@link postgresRateLimiter}. */
export interface PostgresRateLimiterOptions {
  /** A PGlite instance, a `pg` Pool or connected Client, or a postgres.js `sql`, as for `postgresStorage`. */
  client: unknown;
  /** The schema of tenantry's tables, as for `postgresStorage`. Default: the connection's `search_path`. */
  schema?: string;
  /** How many times a statement that failed with 40001 or 40P01 runs again. Default 4. */
  retries?: number;
  /** After how many spends this process deletes a batch of up to 1,000 recovered keys. Default 1,000. */
  sweepEvery?: number;
  /** Whether its statements are named prepared statements, as for `postgresStorage`. Default `'auto'`. */
  preparedStatements?: PreparedStatements;
}

/**
 * A rate limiter whose allowances every process on the database shares, in
 * `tenantry_rate_limits` (created by `postgresStorage(…).migrate()`). The
 * storage offers one as `storage.rateLimiter`; this builds one on a client of
 * its own (a small pool, say, so that spends never wait for a connection
 * behind transactions). Each call is one statement, outside any transaction.
 *
 * @example
 * ```ts
 * const rateLimiter = postgresRateLimiter({ client: new pg.Pool({ connectionString, max: 2 }) });
 * new UserManagement({ storage, mailer, rateLimiter });
 * ```
 */
export function postgresRateLimiter(options: PostgresRateLimiterOptions): RateLimiter {
  const driver = sqlDatabase(options.client, { preparedStatements: options.preparedStatements ?? 'auto' });
  const db: SqlDatabase = options.schema === undefined ? driver : inSchema(driver, checkSchemaName(options.schema));
  return sqlRateLimiter(db, {
    retries: options.retries ?? 4,
    ...(options.sweepEvery === undefined ? {} : { sweepEvery: options.sweepEvery }),
  });
}
