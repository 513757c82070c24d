import { hash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomBytes } from '../random.js';

/** 25 random bytes: 200 bits, above the 160 bits one-time secrets need. */
const TOKEN_BYTES = 25;

/** A fresh secret for a link or a session: 200 bits from Web Crypto, base32 (URL-safe, 40 characters). */
export function newSecretToken(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(TOKEN_BYTES));
}

/**
 * What storage keeps of a secret token: its SHA-256, hex. The token itself is
 * never stored. (Node's one-shot `hash` runs on every request that carries a
 * session, and costs a tenth of a hash computed in JavaScript.)
 */
export function tokenDigest(token: string): string {
  return hash('sha256', token, 'hex');
}
