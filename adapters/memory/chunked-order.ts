import { compareSortKeys, type User } from '../../src/adapter-kit/index.js';

/** A sort key: the values of `userSortKey`, then the user id. */
export type SortKey = readonly (string | number)[];

/** A user in a sorted order, with the sort key and search text computed once, when the user was written. */
export interface OrderEntry {
  user: User;
  key: SortKey;
  search: string;
}

/** Entries per chunk when an order is built; a chunk splits in two when it grows past twice this. */
const DEFAULT_CHUNK_SIZE = 512;
/** Joins search texts; searches drop control characters, so a match never spans two entries. */
const SEPARATOR = '\u001e';

/** Bits in a chunk's trigram filter: 4 KiB a chunk, 4–8 bytes a user. */
const GRAM_BITS = 1 << 15;

/** The filter bit of the three characters of `text` from `at`. */
function gramBit(text: string, at: number): number {
  const gram = text.charCodeAt(at) * 961 + text.charCodeAt(at + 1) * 31 + text.charCodeAt(at + 2);
  return Math.imul(gram, 0x9e3779b1) >>> 17;
}

/** The filter bits a text's trigrams set: none for a text shorter than three characters. */
export function gramBits(text: string): number[] {
  const bits: number[] = [];
  for (let at = 0; at + 3 <= text.length; at++) bits.push(gramBit(text, at));
  return bits;
}

/** The index of the first entry above `key` (or at or above it, with `orEqual`). */
function firstAboveIn(entries: readonly OrderEntry[], key: SortKey, orEqual: boolean): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const order = compareSortKeys((entries[middle] as OrderEntry).key, key);
    if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A run of neighbouring entries. Its search texts are joined into one string
 * the first time a search needs them (and again after a write), so a search
 * is one native `indexOf` over the chunk rather than one per entry. A filter
 * of the trigrams in the chunk (a one-hash Bloom filter) lets a search skip
 * chunks that cannot hold its term.
 */
class Chunk {
  #text: string | null = null;
  #starts: number[] = [];
  #grams = new Uint32Array(0);

  constructor(readonly entries: OrderEntry[]) {}

  /** Marks the joined text stale after an entry came or went. */
  changed(): void {
    this.#text = null;
  }

  /** Whether the chunk may hold a text with these trigram bits (from {@link gramBits}); false is certain. */
  mayHold(bits: readonly number[]): boolean {
    this.#joined();
    const grams = this.#grams;
    for (const bit of bits) {
      if (((grams[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** The first entry index at or after `from` whose search text holds `search`, or -1. */
  nextMatch(search: string, from: number): number {
    const text = this.#joined();
    const at = text.indexOf(search, this.#starts[from]);
    return at === -1 ? -1 : this.#entryAt(at);
  }

  /** The last entry index at or before `from` whose search text holds `search`, or -1. */
  previousMatch(search: string, from: number): number {
    const text = this.#joined();
    const latest = (this.#starts[from] as number) + (this.entries[from] as OrderEntry).search.length - search.length;
    if (latest < 0) return -1;
    const at = text.lastIndexOf(search, latest);
    return at === -1 ? -1 : this.#entryAt(at);
  }

  #joined(): string {
    if (this.#text === null) {
      const { entries } = this;
      const starts = new Array<number>(entries.length);
      const texts = new Array<string>(entries.length);
      let offset = 0;
      for (let index = 0; index < entries.length; index++) {
        const search = (entries[index] as OrderEntry).search;
        starts[index] = offset;
        texts[index] = search;
        offset += search.length + SEPARATOR.length;
      }
      const text = texts.join(SEPARATOR);
      const grams = new Uint32Array(GRAM_BITS / 32);
      for (let at = 0; at + 3 <= text.length; at++) {
        const bit = gramBit(text, at);
        grams[bit >>> 5] = (grams[bit >>> 5] as number) | (1 << (bit & 31));
      }
      this.#starts = starts;
      this.#grams = grams;
      this.#text = text;
    }
    return this.#text;
  }

  /** The index of the entry whose text holds position `at` of the joined text. */
  #entryAt(at: number): number {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((starts[middle] as number) <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** A place in an order: a chunk and an entry in it; `chunk === chunks.length` is the end. */
interface Position {
  chunk: number;
  index: number;
}

/**
 * One organization's users in one sort order, as a list of sorted chunks (a
 * two-level B-tree): finding a cursor is two binary searches, a write touches
 * one chunk, and a search skips chunks by their trigram filters and scans the
 * rest's joined texts in native code.
 */
export class ChunkedOrder {
  readonly #chunks: Chunk[] = [];

  /** Builds the order from entries already sorted by key, `chunkSize` to a chunk. */
  constructor(
    sorted: readonly OrderEntry[],
    private readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {
    for (let start = 0; start < sorted.length; start += chunkSize) {
      this.#chunks.push(new Chunk(sorted.slice(start, start + chunkSize)));
    }
  }

  /**
   * Visits the entries whose search text holds `search` (every entry when it
   * is empty) in order, ascending or descending, starting strictly past
   * `after`, until `visit` returns false.
   */
  scan(after: SortKey | null, ascending: boolean, search: string, visit: (entry: OrderEntry) => boolean): void {
    const chunks = this.#chunks;
    const bits = gramBits(search);
    if (ascending) {
      let { chunk, index } = after ? this.#firstAbove(after, false) : { chunk: 0, index: 0 };
      for (; chunk < chunks.length; chunk++, index = 0) {
        const current = chunks[chunk] as Chunk;
        if (search !== '' && !current.mayHold(bits)) continue;
        const { entries } = current;
        for (; index < entries.length; index++) {
          if (search !== '') index = current.nextMatch(search, index);
          if (index === -1) break;
          if (!visit(entries[index] as OrderEntry)) return;
        }
      }
      return;
    }
    const end = after ? this.#firstAbove(after, true) : { chunk: chunks.length, index: 0 };
    let chunk = end.chunk;
    let index = end.index - 1;
    if (index < 0) {
      chunk--;
      index = (chunks[chunk]?.entries.length ?? 0) - 1;
    }
    for (; chunk >= 0; chunk--, index = (chunks[chunk]?.entries.length ?? 0) - 1) {
      const current = chunks[chunk] as Chunk;
      if (search !== '' && !current.mayHold(bits)) continue;
      const { entries } = current;
      for (; index >= 0; index--) {
        if (search !== '') index = current.previousMatch(search, index);
        if (index === -1) break;
        if (!visit(entries[index] as OrderEntry)) return;
      }
    }
  }

  /** Puts an entry in its place. */
  insert(entry: OrderEntry): void {
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      chunks.push(new Chunk([entry]));
      return;
    }
    const found = this.#firstAbove(entry.key, false);
    const chunk = found.chunk === chunks.length ? chunks.length - 1 : found.chunk;
    const current = chunks[chunk] as Chunk;
    const index = found.chunk === chunks.length ? current.entries.length : found.index;
    current.entries.splice(index, 0, entry);
    current.changed();
    if (current.entries.length > 2 * this.chunkSize) {
      const upper = current.entries.splice(this.chunkSize);
      chunks.splice(chunk + 1, 0, new Chunk(upper));
    }
  }

  /** Takes out the entry of user `id` at `key`, if it is there. */
  remove(key: SortKey, id: string): void {
    const { chunk, index } = this.#firstAbove(key, true);
    const current = this.#chunks[chunk];
    if (current?.entries[index]?.user.id !== id) return;
    current.entries.splice(index, 1);
    current.changed();
    if (current.entries.length === 0) this.#chunks.splice(chunk, 1);
  }

  /** The first position above `key` (or at or above it, with `orEqual`). */
  #firstAbove(key: SortKey, orEqual: boolean): Position {
    const chunks = this.#chunks;
    // The first chunk whose last entry lies above the key holds the position.
    let low = 0;
    let high = chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const { entries } = chunks[middle] as Chunk;
      const order = compareSortKeys((entries[entries.length - 1] as OrderEntry).key, key);
      if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
      else high = middle;
    }
    if (low === chunks.length) return { chunk: low, index: 0 };
    return { chunk: low, index: firstAboveIn((chunks[low] as Chunk).entries, key, orEqual) };
  }
}
