import { randomBytes as nodeRandomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64, encodeBase64NoPadding } from '@oslojs/encoding';
import type { PasswordHasher } from './password-hasher.js';

/** scrypt cost parameters. */
export interface ScryptOptions {
  /** log2 of the CPU/memory cost N. */
  logN?: number;
  /** Block size. */
  r?: number;
  /** Parallelization. */
  p?: number;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Uint8Array, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * scrypt from node:crypto at an OWASP Password Storage Cheat Sheet setting
 * (default N=2^14, r=8, p=5: 16 MiB per hash), as `$scrypt$ln=14,r=8,p=5$salt$hash`.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, passwordHasher: scryptHasher({ logN: 17, r: 8, p: 1 }) });
 * ```
 */
export function scryptHasher(options: ScryptOptions = {}): PasswordHasher {
  const { logN = 14, r = 8, p = 5 } = options;
  if (!withinBounds(logN, r, p)) throw new RangeError('scrypt parameters out of range (logN 1–20, r 1–32, p 1–16)');
  return {
    async hash(password) {
      const salt = new Uint8Array(nodeRandomBytes(SALT_LENGTH));
      const key = await derive(password, salt, logN, r, p);
      return `$scrypt$ln=${logN},r=${r},p=${p}$${encodeBase64NoPadding(salt)}$${encodeBase64NoPadding(key)}`;
    },
    async verify(hash, password) {
      const match = FORMAT.exec(hash);
      if (!match) return false;
      const [, ln, rr, pp, salt, expected] = match as unknown as [string, string, string, string, string, string];
      // A stored hash must not make verification arbitrarily expensive.
      if (!withinBounds(Number(ln), Number(rr), Number(pp))) return false;
      const expectedKey = decodeBase64(pad(expected));
      const key = await derive(password, decodeBase64(pad(salt)), Number(ln), Number(rr), Number(pp));
      return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
    },
    needsRehash(hash) {
      const match = FORMAT.exec(hash);
      return !match || Number(match[1]) !== logN || Number(match[2]) !== r || Number(match[3]) !== p;
    },
    recognizes: (hash) => hash.startsWith('$scrypt$'),
  };
}

function withinBounds(logN: number, r: number, p: number): boolean {
  return logN >= 1 && logN <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

function pad(base64: string): string {
  return base64.padEnd(Math.ceil(base64.length / 4) * 4, '=');
}
