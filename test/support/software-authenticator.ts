import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in software for tests that have no browser: one
 * P-256 key per credential, "none" attestation, a signature counter, user
 * verification reported as done. It answers what `navigator.credentials`
 * would, serialized as browsers do (`PublicKeyCredential.toJSON()`).
 */
export class SoftwareAuthenticator {
  readonly #credentials = new Map<string, { key: KeyObject; userHandle: string; counter: number }>();
  /** Set to make every signature counter go back by one (a cloned authenticator). */
  rewindCounter = false;

  /** The page's origin, as the browser would put it in the client data; change it to play a phishing site. */
  constructor(public origin: string) {}

  /** Answers registration options (`navigator.credentials.create`). */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const credentialId = randomBytes(16);
    const id = credentialId.toString('base64url');
    this.#credentials.set(id, { key: privateKey, userHandle: options.user.id, counter: 0 });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const counter = Buffer.alloc(4);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([
      rpIdHash(options.rp.id),
      Buffer.from([0x45]),
      counter,
      Buffer.alloc(16),
      idLength,
      credentialId,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: this.#clientData('webauthn.create', options.challenge),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** Answers authentication options (`navigator.credentials.get`) with one of its credentials. */
  get(options: { challenge: string; rpId?: string; allowCredentials?: { id: string }[] }, credentialId?: string) {
    const id = credentialId ?? options.allowCredentials?.[0]?.id ?? [...this.#credentials.keys()][0];
    const credential = id === undefined ? undefined : this.#credentials.get(id);
    if (!id || !credential) throw new Error('no such credential');
    credential.counter += this.rewindCounter ? -1 : 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(Math.max(credential.counter, 0));
    const authenticatorData = Buffer.concat([rpIdHash(options.rpId), Buffer.from([0x05]), counter]);
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge);
    const signed = Buffer.concat([
      authenticatorData,
      createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest(),
    ]);
    return {
      id,
      rawId: id,
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: authenticatorData.toString('base64url'),
        signature: sign('sha256', signed, credential.key).toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  #clientData(type: string, challenge: string): string {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false })).toString(
      'base64url',
    );
  }
}

function rpIdHash(rpId = 'localhost'): Buffer {
  return createHash('sha256').update(rpId).digest();
}

/** The CBOR (RFC 8949) of the few kinds WebAuthn needs: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number) => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const bytes = Buffer.alloc(3);
    bytes[0] = (major << 5) | 25;
    bytes.writeUInt16BE(length, 1);
    return bytes;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (value instanceof Map) {
    return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])]);
  }
  throw new Error(`no CBOR for ${typeof value}`);
}
