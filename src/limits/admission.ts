import { TenantryError } from '../errors.js';

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** How many tasks run at once. */
  concurrency: number;
  /** How many more may wait their turn; past that, a task is refused at once. */
  maxWaiting: number;
  /** What the refusal calls the busy resource, for its message. */
  resource: string;
}

/**
 * Admission to costly work (password hashing, strength checks) in this
 * process: at most `concurrency` tasks at a time, the next ones waiting in
 * order of arrival, and a task that would wait behind `maxWaiting` others
 * refused at once with `RATE_LIMITED`, so that a flood queues fairly and is
 * turned away early instead of making every request slower without end.
 */
export class Admission {
  readonly #options: AdmissionOptions;
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  /** A running average of how long a task takes, for the refusal's `retryAfterMs`. */
  #averageMs = 20;

  constructor(options: AdmissionOptions) {
    if (!(options.concurrency >= 1) || !(options.maxWaiting >= 0)) {
      throw new RangeError('concurrency must be at least 1 and maxWaiting at least 0');
    }
    this.#options = options;
  }

  /** Runs `task` when its turn comes, or refuses with `RATE_LIMITED` when too many wait already. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const { concurrency, maxWaiting, resource } = this.#options;
    if (this.#running < concurrency) {
      this.#running++;
    } else if (this.#waiting.length < maxWaiting) {
      // The finishing task hands its place over directly, so the count of running tasks stays as it is.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      const retryAfterMs = Math.ceil((this.#averageMs * (this.#waiting.length + concurrency)) / concurrency);
      throw new TenantryError('RATE_LIMITED', `Too many requests wait for ${resource}; try again shortly`, {
        retryAfterMs,
      });
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      this.#averageMs = 0.8 * this.#averageMs + 0.2 * (performance.now() - started);
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  /** How many tasks run and wait now. */
  get load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }
}
