/**
 * At most `width` tasks at a time, the others waiting in order of arrival;
 * `idle()` resolves once none runs or waits. For handing mail on: many at
 * once over a slow mail server, never unbounded.
 */
export class Lanes {
  readonly #width: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  #idle: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(width: number) {
    this.#width = width;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running < this.#width) this.#running++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else if (--this.#running === 0 && this.#idle) {
        this.#idle.resolve();
        this.#idle = null;
      }
    }
  }

  /** Resolves when no task runs or waits. */
  idle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    if (!this.#idle) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      this.#idle = { promise, resolve };
    }
    return this.#idle.promise;
  }
}
