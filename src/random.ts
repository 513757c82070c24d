import { customAlphabet } from 'nanoid';

/** Cryptographically random bytes from Web Crypto: the one source of randomness in tenantry. */
export function randomBytes(length: number): Uint8Array {
  // Drawn fresh for every value: a pool would save microseconds, but keep future secrets in memory in advance.
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const idBody = customAlphabet(ALPHABET, 20);
/** An event id's random tail: eight characters drawn as eight, not cut from twenty. */
const eventTail = customAlphabet(ALPHABET, 8);

let sequence = 0;

/**
 * An audit event id that sorts after every id this process made before at the
 * same instant, so events of one transaction list in the order they happened.
 */
export function newEventId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  return `evt_${now.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(6, '0')}${eventTail()}`;
}

/** A new opaque id with a readable prefix, e.g. `usr_4f9GQ2…`. */
export function newId(prefix: 'org' | 'usr' | 'imp' | 'ses' | 'fac' | 'sso'): string {
  return `${prefix}_${idBody()}`;
}
