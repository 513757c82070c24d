/**
 * Timing calls that can each run once only (a single-use state, a fresh sign-in): their inputs prepared before
 * each round, untimed, then the calls timed one by one, in rounds whose lowest median is reported.
 */
import type { Measurement } from './harness.js';

/** How many calls each case times: warm-up calls first, then rounds of samples (the lowest median reported). */
export type Counts = { warmup: number; samples: number; rounds: number };

/** Samples in nanoseconds, round by round. */
export type Rounds = number[][];
const median = (sorted: readonly number[]) => sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
const sortedRounds = (rounds: Rounds) => rounds.map((samples) => [...samples].sort((a, b) => a - b));

/** The round of the lowest median: a shared machine only ever adds time. */
function lowestRound(rounds: Rounds): number {
  const medians = sortedRounds(rounds).map(median);
  return medians.indexOf(Math.min(...medians));
}

/** Rounds of samples as a Measurement, reported from one round (the lowest, unless told). */
function measurement(suite: string, name: string, rounds: Rounds, round = lowestRound(rounds)): Measurement {
  const sorted = sortedRounds(rounds);
  const reported = sorted[round] ?? [];
  return {
    suite,
    name,
    median: median(reported),
    p95: reported[Math.min(reported.length - 1, Math.floor(reported.length * 0.95))] ?? Number.NaN,
    opsPerSecond: (1e9 * reported.length) / reported.reduce((sum, sample) => sum + sample, 0),
    samples: reported.length,
    rounds: sorted.map(median),
  };
}

/**
 * A call's row, the row of the part timed beside it (where named), and the row of what the call adds to that
 * part, call by call: all three from the call's lowest round, so that they speak of the same calls.
 */
export function rowsOf(suite: string, whole: Rounds, part: Rounds, names: [string, string, string?]) {
  const [call, beyond, partName] = names;
  const round = lowestRound(whole);
  const added = whole.map((samples, index) => samples.map((taken, at) => taken - (part[index]?.[at] ?? Number.NaN)));
  const shown = partName ? [measurement(suite, partName, part, round)] : [];
  return [measurement(suite, call, whole, round), ...shown, measurement(suite, beyond, added, round)] as const;
}

/**
 * Warms a case up, then times its rounds: each round's inputs prepared first, untimed, and the garbage of their
 * making collected; then, input by input, `works[0]` timed on its own, and each other work after it on the same
 * input. Answers each work's rounds, in nanoseconds.
 */
export async function timeOneShot<Input>(
  counts: Counts,
  prepare: (index: number) => Promise<Input>,
  works: readonly ((input: Input) => Promise<unknown>)[],
): Promise<Rounds[]> {
  let made = 0;
  const rounds = works.map((): Rounds => []);
  for (let round = -1; round < counts.rounds; round++) {
    const inputs: Input[] = [];
    const size = round < 0 ? counts.warmup : counts.samples;
    for (let index = 0; index < size; index++) inputs.push(await prepare(made++));
    globalThis.gc?.();
    const samples = works.map((): number[] => []);
    for (const input of inputs) {
      for (const [index, work] of works.entries()) {
        const started = process.hrtime.bigint();
        await work(input);
        samples[index]?.push(Number(process.hrtime.bigint() - started));
      }
    }
    if (round >= 0) for (const [index, taken] of samples.entries()) rounds[index]?.push(taken);
  }
  return rounds;
}
