import { customAlphabet } from 'nanoid';

/** Cryptographically random bytes from Web Crypto: the one source of randomness in tenantry. */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

const idBody = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 20);

let sequence = 0;

/**
 * An audit event id that sorts after every id this process made before at the
 * same instant, so events of one transaction list in the order they happened.
 */
export function newEventId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  return `evt_${now.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(6, '0')}${idBody().slice(0, 8)}`;
}

/** A new opaque id with a readable prefix, e.g. `usr_4f9GQ2…`. */
export function newId(prefix: 'org' | 'usr' | 'imp' | 'ses' | 'fac'): string {
  return `${prefix}_${idBody()}`;
}
