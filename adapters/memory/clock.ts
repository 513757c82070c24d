import type { Clock } from '../../src/adapter-kit/index.js';

/** A clock that moves only when told to. */
export interface TestClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to `date`. */
  set(date: Date | string | number): void;
}

/**
 * A clock for tests: starts at `start` (default 2026-01-01T00:00:00Z) and
 * never reads the system time.
 *
 * @example
 * ```ts
 * const clock = testClock('2026-03-01T09:00:00Z');
 * clock.advance(8 * 3600e3);
 * ```
 */
export function testClock(start: Date | string | number = '2026-01-01T00:00:00.000Z'): TestClock {
  let current = toTime(start);
  return {
    now: () => new Date(current),
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError('advance(ms) needs a finite number');
      current += ms;
    },
    set(date: Date | string | number) {
      current = toTime(date);
    },
  };
}

function toTime(value: Date | string | number): number {
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) throw new RangeError(`Invalid date: ${String(value)}`);
  return time;
}
