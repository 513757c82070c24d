import { customAlphabet } from 'nanoid';

/** Cryptographically random bytes from Web Crypto: the one source of randomness in tenantry. */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

const idBody = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 20);

/** A new opaque id with a readable prefix, e.g. `usr_4f9GQ2…`. */
export function newId(prefix: 'org' | 'usr' | 'evt' | 'imp' | 'ses'): string {
  return `${prefix}_${idBody()}`;
}
