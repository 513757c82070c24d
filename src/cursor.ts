import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { TenantryError } from './errors.js';
import { constantTimeEqual } from './secrets/constant-time.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Opaque, tamper-evident page cursors: the position and the query it belongs
 * to, signed with HMAC-SHA-256. A forged cursor, or one from another query,
 * answers `VALIDATION_FAILED`.
 */
export class CursorCodec {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    this.#key = key;
  }

  encode(scope: string, position: unknown): string {
    const body = encodeBase64urlNoPadding(encoder.encode(JSON.stringify({ s: scope, p: position })));
    return `${body}.${this.#sign(body)}`;
  }

  decode(scope: string, cursor: string): unknown {
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || !constantTimeEqual(signature, this.#sign(body))) {
      throw invalidCursor();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(decodeBase64urlIgnorePadding(body)));
    } catch {
      throw invalidCursor();
    }
    const { s, p } = (parsed ?? {}) as { s?: unknown; p?: unknown };
    if (s !== scope) throw invalidCursor();
    return p;
  }

  #sign(body: string): string {
    return encodeBase64urlNoPadding(hmac(SHA256, this.#key, encoder.encode(body)).slice(0, 16));
  }
}

function invalidCursor(): TenantryError {
  return new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor', {
    issues: [{ path: 'cursor', message: 'Invalid cursor' }],
  });
}
