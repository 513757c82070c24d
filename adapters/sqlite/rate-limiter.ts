import { type RateLimitAnswer, type RateLimiter, spendAllowance } from '../../src/adapter-kit/index.js';
import { betweenTransactions, type Row, type SqliteDatabase, type SqliteStatement } from './connection.js';

/**
 * `spendAllowance` in SQL, for a key whose state is `previous`: a row of the
 * new `next_at` and, when the spend does not fit, the unchanged state and
 * `retry_after_ms`. The same double-precision operations in the same order
 * (and the same rounding allowance), so it decides exactly as the rule does;
 * it is the rule's mechanism, run inside the statement that writes, not a policy.
 */
const spend = (previous: string) => `
  SELECT CASE WHEN excess > 1e-6 THEN ${previous} ELSE start + @cost * @interval END AS next_at,
         CASE WHEN excess > 1e-6 THEN ceil(excess) END AS retry_after_ms
  FROM (SELECT start, start + max(@cost, 1) * @interval - @now - @window AS excess
        FROM (SELECT max(${previous}, @now) AS start))`;

/**
 * One statement: it takes the database's write lock before it reads, so it
 * is atomic across processes. A new key is inserted with the spend from
 * nothing (state 0); an existing one is decided from its row by the upsert.
 * A refusal writes the state back unchanged, and `retry_after_ms` tells it
 * apart (null: allowed). (`WHERE true` keeps SQLite from reading the upsert's
 * `ON` as a join's.)
 */
const spendStatement = `
INSERT INTO tenantry_rate_limits AS kept (key, next_at, retry_after_ms)
SELECT @key, fresh.next_at, fresh.retry_after_ms FROM (${spend('0.0')}) AS fresh WHERE true
ON CONFLICT (key) DO UPDATE SET (next_at, retry_after_ms) = (${spend('kept.next_at')})
RETURNING retry_after_ms`;

/** Up to `@limit` keys (a thousand between spends) whose allowance has fully recovered: the same as no row. */
const sweepStatement = `
DELETE FROM tenantry_rate_limits
WHERE key IN (SELECT key FROM tenantry_rate_limits WHERE next_at <= @now LIMIT @limit)`;

/**
 * The shared rate limiter of a SQLite database, for every process on the
 * file: one statement a call, run between the connection's transactions.
 * Every `sweepEvery` spends (1,000) it also deletes a batch of recovered keys;
 * each spend adds at most one row, so the table holds about the keys in use.
 */
export function sqliteRateLimiter(database: SqliteDatabase, sweepEvery = 1_000): RateLimiter {
  const statements = new Map<string, SqliteStatement>();
  const prepared = (text: string): SqliteStatement => {
    let statement = statements.get(text);
    if (!statement) {
      statement = database.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const run = (text: string, params: Record<string, unknown>): Row[] => prepared(text).all(params) as Row[];
  let spends = 0;
  const spendOnce = (key: string, now: number, cost: number, interval: number, window: number) => {
    const [row] = run(spendStatement, { key, now, cost, interval, window });
    spends += 1;
    if (spends % sweepEvery === 0) {
      // Housekeeping only: a failed sweep changes no answer, and the next one deletes the same rows.
      try {
        prepared(sweepStatement).run({ now, limit: 1_000 });
      } catch {}
    }
    return row?.retry_after_ms;
  };
  return {
    async consume(key, rate, now, cost = 1): Promise<RateLimitAnswer> {
      const at = now.getTime();
      if (cost === 0) {
        // Asking only reads, so a key never seen is never written.
        const [row] = await betweenTransactions(database, () =>
          run('SELECT next_at FROM tenantry_rate_limits WHERE key = @key', { key }),
        );
        const decision = spendAllowance(row ? Number(row.next_at) : 0, at, rate, 0);
        return decision.allowed ? { allowed: true } : { allowed: false, retryAfterMs: decision.retryAfterMs };
      }
      const retryAfterMs = await betweenTransactions(database, () =>
        spendOnce(key, at, cost, rate.windowMs / rate.limit, rate.windowMs),
      );
      return retryAfterMs === null || retryAfterMs === undefined
        ? { allowed: true }
        : { allowed: false, retryAfterMs: Number(retryAfterMs) };
    },
    async forgetRecovered(now, limit) {
      const { changes } = await betweenTransactions(database, () =>
        prepared(sweepStatement).run({ now: now.getTime(), limit }),
      );
      return Number(changes);
    },
  };
}
