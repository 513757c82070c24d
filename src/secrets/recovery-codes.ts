import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { tokenDigest } from './one-time-token.js';

/** How many recovery codes a user is given at a time. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * Bytes of one code: 120 bits, written as 24 base32 characters in six
 * groups. At 112 bits or more a code may be stored as a plain SHA-256
 * (ASVS 5.0 6.5.2); shorter ones would need a slow, salted hash.
 */
const CODE_BYTES = 15;

/** A recovery code as the user keeps it: `abcd-efgh-ijkl-mnop-qrst-uvwx`. */
function formatted(bytes: Uint8Array): string {
  return (encodeBase32LowerCaseNoPadding(bytes).match(/.{4}/gu) ?? []).join('-');
}

/**
 * A code as typed, in the form its digest was taken of: lower case, without
 * spaces or dashes, the digits 0, 1 and 8 read as the letters a printed code
 * is mistaken for (base32 has no 0, 1 or 8).
 */
export function normalizedRecoveryCode(typed: string): string {
  return typed
    .toLowerCase()
    .replace(/[\s-]+/gu, '')
    .replaceAll('0', 'o')
    .replaceAll('1', 'l')
    .replaceAll('8', 'b');
}

/** The stored form of a code: the SHA-256 of its normalized text (120 random bits need no slow hash). */
export function recoveryCodeDigest(typed: string): string {
  return tokenDigest(normalizedRecoveryCode(typed));
}

/** A fresh set of recovery codes, to show once, and their digests, to store. */
export function newRecoveryCodes(randomBytes: (length: number) => Uint8Array): { codes: string[]; digests: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatted(randomBytes(CODE_BYTES)));
  return { codes, digests: codes.map(recoveryCodeDigest) };
}
