import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { randomBytes } from '../random.js';

/** One encryption key of the installation: an id (stored beside what it sealed) and 32 bytes. */
export interface EncryptionKey {
  /** Short and stable (`2026-12`): sealed values name it, so older keys keep opening what they sealed. */
  id: string;
  /** 32 bytes, or their base64 (base64url) text. */
  key: string | Uint8Array;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyBytes(key: string | Uint8Array): KeyObject {
  const bytes =
    typeof key === 'string'
      ? Buffer.from(decodeBase64urlIgnorePadding(key.replace(/\+/g, '-').replace(/\//g, '_')))
      : Buffer.from(key);
  if (bytes.length !== KEY_BYTES) throw new RangeError(`an encryption key must be ${KEY_BYTES} bytes`);
  // Made into a key object once, rather than converted from raw bytes by every cipher made with it.
  return createSecretKey(bytes);
}

/**
 * The bytes of base64url text as `seal` writes it, or null for any other
 * text. Node's decoder is native but skips characters it does not know, so
 * what it read is encoded again and compared: as strict as a decoder in
 * JavaScript, at a fraction of its cost.
 */
function decodeStrict(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/**
 * Seals secrets that must be kept to be used again (a mail's link until it is
 * sent; later, second-factor and single sign-on secrets) with AES-256-GCM
 * under the installation's keys. The first key seals; every key opens what it
 * sealed, so keys can be rotated by putting a new one first.
 */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly #current: { id: string; key: KeyObject } | null;

  constructor(keys: readonly EncryptionKey[]) {
    const entries = keys.map(({ id, key }): [string, KeyObject] => {
      if (!/^[\w-]{1,32}$/.test(id)) throw new RangeError('an encryption key id is 1–32 letters, digits, _ or -');
      return [id, keyBytes(key)];
    });
    this.#keys = new Map(entries);
    const [first] = entries;
    this.#current = first ? { id: first[0], key: first[1] } : null;
  }

  /** Whether the installation has a key to seal with. */
  get canSeal(): boolean {
    return this.#current !== null;
  }

  /** `keyId.iv.ciphertext+tag` (base64url), bound to `context` (what the secret is for); null without a key. */
  seal(secret: string, context: string): string | null {
    if (!this.#current) return null;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${this.#current.id}.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(sealed)}`;
  }

  /** The secret, or null when no key of the installation opens it for this context (a key removed, a value altered). */
  open(sealed: string, context: string): string | null {
    const [id, iv, body] = sealed.split('.');
    const key = id === undefined ? undefined : this.#keys.get(id);
    if (!key || iv === undefined || body === undefined) return null;
    const nonce = decodeStrict(iv);
    const bytes = decodeStrict(body);
    // A shorter tag would be taken as a truncated one (GCM allows 4 bytes); `seal` always writes 16.
    if (!nonce || !bytes || bytes.length < TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      const head = decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES));
      // `final` checks the tag and, GCM being a stream mode, adds nothing to what `update` gave.
      const tail = decipher.final();
      return (tail.length === 0 ? head : Buffer.concat([head, tail])).toString('utf8');
    } catch {
      return null;
    }
  }
}
