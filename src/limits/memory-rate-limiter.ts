import type { RateLimitAnswer, RateLimiter } from '../ports/rate-limiter.js';
import { spendAllowance } from '../rules/rate-limit.js';

/** Options of {@link memoryRateLimiter}. */
export interface MemoryRateLimiterOptions {
  /** Past this many keys, keys whose allowance has recovered are dropped. Default 100,000. */
  sweepAbove?: number;
}

/**
 * A rate limiter in this process's memory: right for one process, and the
 * default when the storage offers none. Keys whose allowance has fully
 * recovered are dropped, so memory stays bounded by the keys in use.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, rateLimiter: memoryRateLimiter() });
 * ```
 */
export function memoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const sweepAbove = options.sweepAbove ?? 100_000;
  const nextAt = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [key, at] of nextAt) if (at <= now) nextAt.delete(key);
  };
  return {
    async consume(key, rate, now, cost = 1): Promise<RateLimitAnswer> {
      const at = now.getTime();
      const decision = spendAllowance(nextAt.get(key) ?? 0, at, rate, cost);
      if (!decision.allowed) return { allowed: false, retryAfterMs: decision.retryAfterMs };
      if (cost > 0) {
        if (nextAt.size >= sweepAbove) sweep(at);
        nextAt.set(key, decision.nextAt);
      }
      return { allowed: true };
    },
    async forgetRecovered(now, limit) {
      let forgotten = 0;
      for (const [key, at] of nextAt) {
        if (forgotten >= limit) break;
        if (at <= now.getTime()) {
          nextAt.delete(key);
          forgotten += 1;
        }
      }
      return forgotten;
    },
  };
}
