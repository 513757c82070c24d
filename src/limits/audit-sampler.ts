import type { RateLimit } from '../rules/rate-limit.js';
import { memoryRateLimiter } from './memory-rate-limiter.js';

/** Past this many keys with dropped events, the counts start over (memory stays bounded). */
const MAX_TRACKED_KEYS = 100_000;

/**
 * Caps audit events that an outsider can cause at will (failed sign-ins,
 * throttled mail): per key, at most the rate's events per window in this
 * process; the ones dropped are counted, and the next event written for the
 * key says how many (`metadata.suppressed`).
 */
export class AuditSampler {
  readonly #allowances = memoryRateLimiter();
  readonly #suppressed = new Map<string, number>();

  /** Whether to write the event for `key` now, and how many were dropped before it. */
  async admit(key: string, rate: RateLimit, now: Date): Promise<{ write: boolean; suppressed: number }> {
    const answer = await this.#allowances.consume(key, rate, now);
    if (!answer.allowed) {
      if (this.#suppressed.size >= MAX_TRACKED_KEYS) this.#suppressed.clear();
      this.#suppressed.set(key, (this.#suppressed.get(key) ?? 0) + 1);
      return { write: false, suppressed: 0 };
    }
    const suppressed = this.#suppressed.get(key) ?? 0;
    this.#suppressed.delete(key);
    return { write: true, suppressed };
  }
}
