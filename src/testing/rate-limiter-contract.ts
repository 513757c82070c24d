import { type RateLimitAnswer, type RateLimiter, spendAllowance } from '../adapter-kit/index.js';
import { type VitestApi, withVitest } from './vitest-api.js';

const MINUTE = 60_000;
const at = (ms: number) => new Date(Date.UTC(2026, 2, 2, 9) + ms);
const fivePerMinute = { limit: 5, windowMs: MINUTE };

/**
 * Describes, in vitest, the behaviour every {@link RateLimiter} shares (the
 * memory one, and each storage's own): the limit at once and then one unit
 * per interval, keys kept apart, asks that spend nothing, concurrent spends
 * counted once each, and the same answers as `spendAllowance`. `make` builds
 * a fresh limiter for each test. Like `describeStorageContract`, it has
 * registered its tests when it returns, except in the CommonJS build, whose
 * promise must be awaited while vitest collects the file.
 *
 * @example
 * ```ts
 * import { describeRateLimiterContract } from 'tenantry/testing';
 *
 * await describeRateLimiterContract('mysql', async () => (await freshMysqlStorage()).rateLimiter);
 * ```
 */
export function describeRateLimiterContract(
  name: string,
  make: () => RateLimiter | Promise<RateLimiter>,
): Promise<void> {
  return withVitest((vitest) => describeRateLimits(vitest, name, make));
}

function describeRateLimits(vitest: VitestApi, name: string, make: () => RateLimiter | Promise<RateLimiter>): void {
  const { describe, expect, it } = vitest;
  describe(`${name}: rate limiter`, () => {
    it('allows the limit at once, refuses the next with when to retry, and recovers one unit per interval', async () => {
      const limiter = await make();
      const answers = [];
      for (let attempt = 0; attempt < 6; attempt++)
        answers.push(await limiter.consume('k:burst', fivePerMinute, at(0)));
      expect(answers.slice(0, 5).every((answer) => answer.allowed)).toBe(true);
      expect(answers[5]).toEqual({ allowed: false, retryAfterMs: MINUTE / 5 });
      expect((await limiter.consume('k:burst', fivePerMinute, at(MINUTE / 5 - 1))).allowed).toBe(false);
      expect((await limiter.consume('k:burst', fivePerMinute, at(MINUTE / 5))).allowed).toBe(true);
      expect((await limiter.consume('k:burst', fivePerMinute, at(MINUTE / 5))).allowed).toBe(false);
      expect((await limiter.consume('k:burst', fivePerMinute, at(MINUTE / 5 + MINUTE))).allowed).toBe(true);
    });

    it('keeps keys apart', async () => {
      const limiter = await make();
      for (let attempt = 0; attempt < 5; attempt++) await limiter.consume('k:one', fivePerMinute, at(0));
      expect((await limiter.consume('k:one', fivePerMinute, at(0))).allowed).toBe(false);
      expect((await limiter.consume('k:two', fivePerMinute, at(0))).allowed).toBe(true);
    });

    it('only asks with a cost of 0, and spends a larger cost at once or not at all', async () => {
      const limiter = await make();
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await limiter.consume('k:ask', fivePerMinute, at(0), 0)).allowed).toBe(true);
      }
      expect((await limiter.consume('k:ask', fivePerMinute, at(0), 4)).allowed).toBe(true);
      expect((await limiter.consume('k:ask', fivePerMinute, at(0), 2)).allowed).toBe(false);
      expect((await limiter.consume('k:ask', fivePerMinute, at(0), 0)).allowed).toBe(true);
      expect((await limiter.consume('k:ask', fivePerMinute, at(0), 1)).allowed).toBe(true);
      expect(await limiter.consume('k:ask', fivePerMinute, at(0), 0)).toEqual({
        allowed: false,
        retryAfterMs: MINUTE / 5,
      });
    });

    it('counts every one of many concurrent spends exactly once', async () => {
      const limiter = await make();
      const rate = { limit: 20, windowMs: MINUTE };
      const answers = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('k:race', rate, at(0))));
      expect(answers.filter((answer) => answer.allowed)).toHaveLength(20);
    });

    it('answers as spendAllowance does, also for rates whose interval is a fraction of a millisecond', async () => {
      const limiter = await make();
      const rates = [
        { limit: 3, windowMs: 1_000 },
        { limit: 7, windowMs: MINUTE },
        { limit: 1_000, windowMs: 999 },
      ];
      const nextAt = new Map<string, number>();
      let elapsed = 0;
      for (let step = 0; step < 300; step++) {
        // A fixed walk through keys, costs and times: bursts, pauses and asks.
        const rate = rates[step % 3] as (typeof rates)[number];
        const key = `k:walk:${step % 3}`;
        const cost = (step * 7) % 5 === 0 ? 0 : 1 + ((step * 5) % 4);
        elapsed += (step * 37) % 11 === 0 ? 700 : (step * 13) % 3;
        const decision = spendAllowance(nextAt.get(key) ?? 0, at(elapsed).getTime(), rate, cost);
        if (decision.allowed && cost > 0) nextAt.set(key, decision.nextAt);
        const expected: RateLimitAnswer = decision.allowed
          ? { allowed: true }
          : { allowed: false, retryAfterMs: decision.retryAfterMs };
        expect(await limiter.consume(key, rate, at(elapsed), cost)).toEqual(expected);
      }
    });

    it('takes keys of any characters, up to a few hundred of them', async () => {
      const limiter = await make();
      const key = `sign-in:account:${'ü'.repeat(250)}@exämple.test`;
      expect((await limiter.consume(key, { limit: 1, windowMs: MINUTE }, at(0))).allowed).toBe(true);
      expect((await limiter.consume(key, { limit: 1, windowMs: MINUTE }, at(0))).allowed).toBe(false);
    });
  });
}
