import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from '../random.js';

/** 25 random bytes: 200 bits, above the 160 bits one-time secrets need. */
const TOKEN_BYTES = 25;

/** A fresh secret for a link or a session: 200 bits from Web Crypto, base32 (URL-safe, 40 characters). */
export function newSecretToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(TOKEN_BYTES));
}

/** What storage keeps of a secret token: its SHA-256, hex. The token itself is never stored. */
export function tokenDigest(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}
