/**
 * The filters of the search blocks: a Bloom filter of 8,192 bits with one bit
 * for each two and each three consecutive UTF-16 units of a text (its bigrams
 * and trigrams), hashed. A term that is a substring of a text has each of its
 * bigrams and trigrams in the text, so a block whose filter lacks one of the
 * term's bits holds no match. The bits are computed here, not in SQL, so the
 * index and the search agree by construction; PostgreSQL only compares them
 * (`bit(8192)`, written in hex); SQLite through a function the adapter
 * registers.
 *
 * SQLite's filters also hold what a block's users hold: each role and
 * permission as a token, so that a search filtered by them passes over the
 * blocks where nobody holds one (see {@link addHeld}).
 */

/** Bits in a block's filter. */
export const FILTER_BITS = 8_192;

/** A filter with no bit set. */
export function emptyFilter(): Uint8Array {
  return new Uint8Array(FILTER_BITS / 8);
}

/** Sets one hashed bit; whether it was clear. */
function set(filter: Uint8Array, hash: number): boolean {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x846ca68b);
  const bit = (mixed ^ (mixed >>> 16)) & (FILTER_BITS - 1);
  const mask = 0x80 >>> (bit & 7);
  const byte = bit >>> 3;
  const clear = ((filter[byte] as number) & mask) === 0;
  filter[byte] = (filter[byte] as number) | mask;
  return clear;
}

/** How many bits a text's grams set in a filter that were clear, by kind. */
export interface GramBits {
  bigrams: number;
  trigrams: number;
}

/** Sets the bit of each bigram and trigram of `text` in `filter`. */
export function addGrams(filter: Uint8Array, text: string): GramBits {
  const added = { bigrams: 0, trigrams: 0 };
  for (let index = 0; index + 2 <= text.length; index++) {
    const pair =
      Math.imul(text.charCodeAt(index), 0x9e3779b1) ^ Math.imul(text.charCodeAt(index + 1) + 0x165667b1, 0x85ebca77);
    if (set(filter, pair ^ 0x5bd1e995)) added.bigrams++;
    if (index + 3 <= text.length) {
      const triple = pair ^ Math.imul(text.charCodeAt(index + 2) + 0x27d4eb2f, 0xc2b2ae3d);
      if (set(filter, triple)) added.trigrams++;
    }
  }
  return added;
}

/** A filter as PostgreSQL reads a `bit(8192)` in hex: `x` and 2,048 digits, the first bit leftmost. */
export function filterLiteral(filter: Uint8Array): string {
  return `x${Buffer.from(filter).toString('hex')}`;
}

/**
 * Whether the blocks serve a term better than the statement without them: a
 * term of two trigrams or more (four characters or more), which a block passes
 * by chance only where both bits are set; and a term of two characters, which
 * has no trigram for the trigram index and is walked either way, the blocks
 * passing over those that lack its pair. A term of three characters, one
 * trigram, passes too many blocks by chance where the trigram index reads its
 * few matches, and one character has no bit at all.
 */
export function worthBlocks(bits: GramBits): boolean {
  return bits.trigrams >= 2 || (bits.trigrams === 0 && bits.bigrams >= 1);
}

/** What a user holds, whose tokens a SQLite block's filter carries beside the grams. */
export type HeldKind = 'role' | 'permission';

/**
 * Sets the bits of a role or permission held, as the grams of a token that no
 * search text holds: NUL, which a text never contains, the kind, NUL, the
 * key and NUL again, so that one key's token is never inside another's.
 */
export function addHeld(filter: Uint8Array, kind: HeldKind, key: string): void {
  addGrams(filter, `\u0000${kind}\u0000${key}\u0000`);
}

/**
 * Whether `filter` has every bit of the filter in `probes` from byte `at` set:
 * the block may hold what the probe's bits came from.
 */
export function mayHold(filter: Uint8Array, probes: Uint8Array, at = 0): boolean {
  for (let index = 0; index < filter.length; index++) {
    const bits = probes[at + index] as number;
    if (((filter[index] as number) & bits) !== bits) return false;
  }
  return true;
}
