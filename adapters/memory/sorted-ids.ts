import { compareCodePoints } from '../../src/adapter-kit/index.js';

/**
 * A set of ids kept in code-point order (the order of `COLLATE "C"`): a
 * write and the start of a page are binary searches, a page is a walk from
 * there, and a lookup is a hash set's (a binary search compares ids that
 * share long prefixes character by character: microseconds in a large set,
 * where a listing by resource asks once per user it passes).
 */
export class SortedIds {
  readonly #ids: string[] = [];
  readonly #members = new Set<string>();

  get size(): number {
    return this.#ids.length;
  }

  /** The index of the first id above `id` (or at or above it, with `orEqual`). */
  #firstAbove(id: string, orEqual: boolean): number {
    const ids = this.#ids;
    let low = 0;
    let high = ids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareCodePoints(ids[middle] as string, id);
      if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  has(id: string): boolean {
    return this.#members.has(id);
  }

  /** Adds the id; false when it was there. */
  add(id: string): boolean {
    if (this.#members.has(id)) return false;
    this.#members.add(id);
    this.#ids.splice(this.#firstAbove(id, true), 0, id);
    return true;
  }

  /** Removes the id; false when it was not there. */
  delete(id: string): boolean {
    if (!this.#members.delete(id)) return false;
    this.#ids.splice(this.#firstAbove(id, true), 1);
    return true;
  }

  /** The ids strictly after `after` (all of them without it), in order. */
  *after(after?: string): Generator<string> {
    const ids = this.#ids;
    for (let at = after === undefined ? 0 : this.#firstAbove(after, false); at < ids.length; at++) {
      yield ids[at] as string;
    }
  }

  /** A copy of the ids, in order. */
  values(): string[] {
    return [...this.#ids];
  }
}

const none = new SortedIds();

/** The ids of two sorted sets (either may be missing) in one code-point order, each once, strictly after `after`. */
export function* mergedIds(
  first: SortedIds | undefined,
  second: SortedIds | undefined,
  after?: string,
): Generator<string> {
  const left = (first ?? none).after(after);
  const right = (second ?? none).after(after);
  let a = left.next();
  let b = right.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareCodePoints(a.value, b.value);
    if (order <= 0) {
      yield a.value as string;
      if (order === 0) b = right.next();
      a = left.next();
    } else {
      yield b.value as string;
      b = right.next();
    }
  }
}
