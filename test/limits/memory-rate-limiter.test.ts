import { describe, expect, it } from 'vitest';
import { memoryRateLimiter } from '../../src/limits/memory-rate-limiter.js';
import { describeRateLimiterContract } from '../../src/testing/index.js';

await describeRateLimiterContract('memory', () => memoryRateLimiter());

describe('memoryRateLimiter', () => {
  it('forgets keys whose allowance has recovered once it holds many', async () => {
    const limiter = memoryRateLimiter({ sweepAbove: 3 });
    const rate = { limit: 1, windowMs: 1000 };
    const start = new Date('2026-03-02T09:00:00Z');
    for (const key of ['a', 'b', 'c']) await limiter.consume(key, rate, start);
    const later = new Date(start.getTime() + 1000);
    expect((await limiter.consume('d', rate, later)).allowed).toBe(true);
    // 'a' was swept and is as new; 'd' was just spent.
    expect((await limiter.consume('a', rate, later)).allowed).toBe(true);
    expect((await limiter.consume('d', rate, later)).allowed).toBe(false);
  });
});
