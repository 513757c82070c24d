import { z } from 'zod';

// With the `u` flag a surrogate range matches only unpaired halves: a pair is one code point outside it.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;
// Controls (\p{Cc}: C0 with NUL, tab, CR and LF, DEL, C1), the line and paragraph separators, and the bidirectional
// embedding, override and isolate controls, which make displayed text read differently from what it is.
const NOT_DISPLAYABLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Why a string with a NUL or an unpaired surrogate is refused; names the fault, never the value. */
export const UNSTORABLE_MESSAGE = 'Contains a NUL character or an unpaired surrogate';

/** Why display text with a control character is refused. */
export const NOT_DISPLAYABLE_MESSAGE =
  'Contains a control character (such as a line break) or a bidirectional formatting character';

/**
 * Whether a string can be stored and compared as it is: no NUL (which
 * PostgreSQL cannot store) and no unpaired UTF-16 surrogate (which is not
 * Unicode text: it cannot be encoded as UTF-8, and would be hashed or stored
 * as U+FFFD, so two different inputs would become one).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
}

/**
 * Whether a string is fit to show as a name or label: storable, and free of
 * control characters, line breaks and bidirectional overrides or isolates.
 */
export function isDisplayText(value: string): boolean {
  return !NOT_DISPLAYABLE.test(value);
}

/**
 * A string of at most `max` characters that can be stored as it is (see
 * {@link isStorableText}): what ids, keys, tokens, search terms and passwords are.
 *
 * @example
 * ```ts
 * storableText(200).safeParse('usr_1').success; // true
 * storableText(200).safeParse('usr_\u0000').success; // false
 * ```
 */
export function storableText(max: number) {
  return z.string().max(max).refine(isStorableText, UNSTORABLE_MESSAGE);
}

/**
 * Text shown to people (names, address lines, labels, phone numbers):
 * refused if it holds any control or bidirectional formatting character
 * (see {@link isDisplayText}), then trimmed and held to `min`–`max` characters.
 *
 * @example
 * ```ts
 * displayText({ max: 200 }).parse(' Acme ');       // 'Acme'
 * displayText({ max: 200 }).safeParse('Ac\u202Eme'); // refused
 * ```
 */
export function displayText({ min = 1, max }: { min?: number; max: number }) {
  return z.string().refine(isDisplayText, NOT_DISPLAYABLE_MESSAGE).trim().min(min).max(max);
}

/** Whether a name has something to call a person or company by: at least one letter or digit. */
export function hasLetterOrDigit(value: string): boolean {
  return LETTER_OR_DIGIT.test(value);
}
