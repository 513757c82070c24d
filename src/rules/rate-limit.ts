/**
 * How much a key may spend: up to `limit` units at once, then one more every
 * `windowMs / limit`, so that no window of `windowMs` holds more than `limit`.
 */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** What spending from an allowance decided, and the key's state after it. */
export type RateDecision = { allowed: true; nextAt: number } | { allowed: false; nextAt: number; retryAfterMs: number };

/**
 * The generic cell rate algorithm: `nextAt` (the theoretical arrival time, in
 * epoch ms; 0 for a key never seen) is all the state a key needs. Spending
 * `cost` units at `now` moves it forward by `cost` emission intervals, and is
 * refused when that would put it more than a window ahead of `now`. A cost of
 * 0 asks without spending. A refusal leaves the state as it was.
 */
export function spendAllowance(nextAt: number, now: number, rate: RateLimit, cost = 1): RateDecision {
  const interval = rate.windowMs / rate.limit;
  const from = Math.max(nextAt, now);
  // Asking (cost 0) is refused once not even one unit is left, so a check before costly work can stop it.
  const excess = from + Math.max(cost, 1) * interval - now - rate.windowMs;
  if (excess > ROUNDING) return { allowed: false, nextAt, retryAfterMs: Math.ceil(excess) };
  return { allowed: true, nextAt: from + cost * interval };
}

/** Emission intervals are fractions of a millisecond apart: `limit` of them must still fit in the window. */
const ROUNDING = 1e-6;
