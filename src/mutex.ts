/** A FIFO async mutex: `run` calls execute one at a time, in the order they arrived. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;

  /** True when no call is running or waiting. */
  get idle(): boolean {
    return this.#pending === 0;
  }

  /** Runs `work` once every call that arrived before it has settled, and answers what `work` answers. */
  run<T>(work: () => Promise<T>): Promise<T> {
    this.#pending++;
    const result = this.#tail.then(work);
    this.#tail = result.then(
      () => {
        this.#pending--;
      },
      () => {
        this.#pending--;
      },
    );
    return result;
  }
}
