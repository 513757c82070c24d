import type { RateLimit } from '../rules/rate-limit.js';

/** What a {@link RateLimiter} answers: allowed, or refused with when to try again. */
export type RateLimitAnswer = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Allowances per key (`sign-in:ip:203.0.113.7`, `password-reset:organization:org_…`),
 * shared by every process that uses the same limiter. tenantry names the keys
 * and the rates; the limiter keeps the state and decides atomically, with
 * the generic cell rate algorithm (`spendAllowance` in `tenantry/rules`).
 *
 * `memoryRateLimiter()` holds in one process; the PostgreSQL and SQLite
 * storages offer one that holds across processes (`storage.rateLimiter`).
 */
export interface RateLimiter {
  /**
   * Spends `cost` units (default 1) of `key`'s allowance at `now`, if they
   * fit under `rate`; a cost of 0 only asks whether the allowance is spent.
   */
  consume(key: string, rate: RateLimit, now: Date, cost?: number): Promise<RateLimitAnswer>;
  /**
   * Optional: forgets at most `limit` keys whose allowance had fully
   * recovered at `now` (the same as never having been spent); returns how
   * many. `maintenance.purge` calls it until fewer than `limit` come back.
   */
  forgetRecovered?(now: Date, limit: number): Promise<number>;
}
