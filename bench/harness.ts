import { measure } from 'mitata';

/** One measured case: times in nanoseconds per operation. */
export interface Measurement {
  suite: string;
  name: string;
  median: number;
  p95: number;
  /** Where counted (latencies under load). */
  p99?: number;
  opsPerSecond: number;
  samples: number;
  /** The median of each round; the reported one is the lowest (a shared machine only ever adds time). */
  rounds: number[];
  /** Statements sent to the database by one call, where counted. */
  statements?: number;
  /** What this case is compared with in the same run, e.g. `× 1.8 of bare verify`. */
  note?: string;
}

/** How long each case may run: `--quick` is for CI's smoke run, the full run is for the numbers. */
export interface Budget {
  quick: boolean;
}

/** Measures `work` (sync or async) with mitata: median, p95 and throughput per operation. */
export async function time(
  suite: string,
  name: string,
  work: () => unknown,
  budget: Budget,
  options: { slow?: boolean } = {},
): Promise<Measurement> {
  // Slow cases (a password hash, a database write) get fewer samples so a run stays within minutes.
  const cpuTime = (options.slow ? 0.4 : 0.3) * 1e9 * (budget.quick ? 0.1 : 1);
  // Warm up first, so the optimizing compiler has seen the code before anything is counted.
  const warmUntil = performance.now() + (options.slow ? 0 : cpuTime / 1e6 / 3);
  for (let runs = 0; runs < (options.slow ? 2 : 50) || performance.now() < warmUntil; runs++) await work();
  const rounds: Awaited<ReturnType<typeof measure>>[] = [];
  for (let round = 0; round < (options.slow ? 1 : 3); round++) {
    rounds.push(
      await measure(work, {
        min_cpu_time: cpuTime,
        min_samples: options.slow ? (budget.quick ? 3 : 9) : 20,
        max_samples: options.slow ? (budget.quick ? 10 : 60) : 1e5,
      }),
    );
  }
  return bestRound(suite, name, rounds);
}

/** The measurement of the round with the lowest median, with every round's median beside it. */
export function bestRound(
  suite: string,
  name: string,
  rounds: readonly Awaited<ReturnType<typeof measure>>[],
): Measurement {
  const stats = rounds.reduce((best, round) => (round.p50 < best.p50 ? round : best));
  const sorted = [...stats.samples].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? stats.max;
  return {
    suite,
    name,
    median: stats.p50,
    p95,
    opsPerSecond: 1e9 / stats.avg,
    samples: sorted.length,
    rounds: rounds.map((round) => round.p50),
  };
}

/** Formats nanoseconds with a unit a reader takes in at a glance. */
export function duration(ns: number): string {
  // A difference of two noisy measurements can come out below zero on a busy machine.
  if (ns < 0) return `−${duration(-ns)}`;
  if (ns < 1e3) return `${ns.toFixed(ns < 10 ? 2 : 0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/** `a` as a multiple of `b`, for the notes. */
export function ratio(a: Measurement, b: Measurement): string {
  return `${(a.median / b.median).toFixed(2)}×`;
}
