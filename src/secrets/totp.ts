import { createHmac } from 'node:crypto';
import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { createTOTPKeyURI } from '@oslojs/otp';
import { constantTimeEqual } from './constant-time.js';

/** RFC 6238 as authenticator apps use it: 30-second steps, 6 digits, HMAC-SHA-1. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** Bytes of a new TOTP secret: 160 bits, the length RFC 4226 recommends. */
export const TOTP_SECRET_BYTES = 20;

/** The 30-second step a moment falls in (RFC 6238's T). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The code of one step: RFC 4226's HOTP of the step as an 8-byte big-endian
 * counter. The HMAC is Node's (OpenSSL), a fifth of the cost of one in JavaScript.
 */
export function totpCode(secret: Uint8Array, step: number): string {
  const counter = Buffer.alloc(8);
  // Steps are whole numbers below 2^53: the high and low 32 bits of the counter.
  counter.writeUInt32BE(Math.floor(step / 2 ** 32), 0);
  counter.writeUInt32BE(step >>> 0, 4);
  const mac = createHmac('sha1', secret).update(counter).digest();
  // Dynamic truncation: 31 bits from where the last nibble points.
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** DIGITS).toString().padStart(DIGITS, '0');
}

/**
 * The step whose code `code` is, among the current one and one either side
 * (a clock a little off, a code typed as it changed), or null. The current
 * step is tried first; each comparison takes constant time.
 */
export function matchingStep(secret: Uint8Array, code: string, at: Date): number | null {
  const typed = code.replace(/\s+/gu, '');
  if (!/^\d{6}$/u.test(typed)) return null;
  const current = totpStep(at);
  for (const step of [current, current - 1, current + 1]) {
    if (constantTimeEqual(totpCode(secret, step), typed)) return step;
  }
  return null;
}

/** The secret as authenticator apps take it typed in: base32, upper case, no padding. */
export function totpSecretText(secret: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(secret);
}

/** The `otpauth://totp/…` URI a QR code carries: the installation as issuer, the user's address as the account. */
export function totpUri(issuer: string, account: string, secret: Uint8Array): string {
  return createTOTPKeyURI(issuer, account, secret, TOTP_PERIOD_SECONDS, DIGITS);
}
