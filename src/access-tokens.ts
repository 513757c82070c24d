import { type CryptoKey, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { TenantryError } from './errors.js';
import type { AuthenticationMethod } from './ports/identity-storage.js';
import type { ResourceAccess } from './types.js';

/** Configuration of short-lived access tokens (JWTs) for other services. */
export interface AccessTokenOptions {
  /** The signing key: a private JWK or CryptoKey. */
  privateKey: JWK | CryptoKey;
  /** The verification key: a public JWK or CryptoKey, published by `getJwks()`. */
  publicKey: JWK | CryptoKey;
  /** `EdDSA` (Ed25519) or `ES256`. */
  alg: 'EdDSA' | 'ES256';
  /** Lifetime in seconds (default 300, at most 3600). */
  ttlSeconds?: number;
  /** The `iss` claim, checked on verification. */
  issuer: string;
  /** The `aud` claim, checked on verification (default: the issuer). */
  audience?: string;
  /** The `kid` header and JWKS key id (default `tenantry-1`). */
  keyId?: string;
}

/** The claims of a tenantry access token. */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  sid: string;
  permissions: string[];
  /**
   * The user's effective resource access, when it is small (at most
   * {@link MAX_TOKEN_RESOURCE_IDS} ids): a service answers `canAccess(claims, …)`
   * on its own. Larger access is left out and `res_omitted` is true: verify
   * with `{ strict: true }`, which reads it from the live session.
   */
  res?: ResourceAccess;
  res_omitted?: true;
  /**
   * How the session was won (`Session.authenticationMethods`, e.g.
   * `['password', 'totp']`), so a service can ask for a second factor.
   */
  amr: AuthenticationMethod[];
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
}

/** What an access token says of its subject, besides the standard claims. */
export interface AccessTokenSubject {
  userId: string;
  organizationId: string;
  /** The session's digest (`sid`): strict verification finds the session by it. */
  sessionDigest: string;
  permissions: string[];
  resourceAccess: ResourceAccess;
  authenticationMethods: readonly AuthenticationMethod[];
}

/** The most resource ids an access token carries; past them, its `res` claim is left out. */
export const MAX_TOKEN_RESOURCE_IDS = 50;

/** The token's claim of resource access: the access itself when small, else the note that it was left out. */
function resourceClaim(access: ResourceAccess): { res: ResourceAccess } | { res_omitted: true } {
  let ids = 0;
  for (const granted of Object.values(access)) ids += granted === 'all' ? 1 : granted.length;
  return ids <= MAX_TOKEN_RESOURCE_IDS ? { res: access } : { res_omitted: true };
}

/** Signs, verifies and publishes access tokens with the configured keys; algorithms are an allow-list of one. */
export class AccessTokenKeys {
  readonly #options: AccessTokenOptions;
  readonly #privateKey: Promise<CryptoKey | Uint8Array>;
  readonly #publicKey: Promise<CryptoKey | Uint8Array>;

  constructor(options: AccessTokenOptions) {
    this.#options = options;
    const key = (which: JWK | CryptoKey): Promise<CryptoKey | Uint8Array> =>
      'kty' in which ? importJWK(which as JWK, options.alg) : Promise.resolve(which as CryptoKey);
    this.#privateKey = key(options.privateKey);
    this.#publicKey = key(options.publicKey);
    this.#privateKey.catch(() => undefined);
    this.#publicKey.catch(() => undefined);
  }

  get #audience(): string {
    return this.#options.audience ?? this.#options.issuer;
  }

  get #keyId(): string {
    return this.#options.keyId ?? 'tenantry-1';
  }

  /** A JWT for the subject: `sub`, `org`, `sid`, effective `permissions`, `amr`, short `exp`. */
  async sign(subject: AccessTokenSubject, now: Date): Promise<string> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const ttl = Math.min(this.#options.ttlSeconds ?? 300, 3600);
    return new SignJWT({
      org: subject.organizationId,
      sid: subject.sessionDigest,
      permissions: subject.permissions,
      ...resourceClaim(subject.resourceAccess),
      amr: subject.authenticationMethods,
    })
      .setProtectedHeader({ alg: this.#options.alg, kid: this.#keyId, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuer(this.#options.issuer)
      .setAudience(this.#audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(await this.#privateKey);
  }

  /** Checks signature, algorithm, `exp`, `iss` and `aud` at `now`; anything wrong is `TOKEN_INVALID`. */
  async verify(jwt: unknown, now: Date): Promise<AccessTokenClaims> {
    try {
      const verified = await jwtVerify(String(jwt), await this.#publicKey, {
        algorithms: [this.#options.alg],
        issuer: this.#options.issuer,
        audience: this.#audience,
        currentDate: now,
        typ: 'at+jwt',
      });
      return verified.payload as unknown as AccessTokenClaims;
    } catch {
      throw new TenantryError('TOKEN_INVALID', 'Invalid or expired access token');
    }
  }

  /** The public key as a JWKS, for services that verify on their own. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const resolved = await this.#publicKey;
    const jwk = resolved instanceof Uint8Array ? {} : await exportJWK(resolved);
    const { d: _private, ...publicOnly } = jwk;
    return { keys: [{ ...publicOnly, alg: this.#options.alg, use: 'sig', kid: this.#keyId }] };
  }
}

/** The error when access tokens are asked for but not configured. */
export function accessTokensUnavailable(): TenantryError {
  return new TenantryError('VALIDATION_FAILED', 'Access tokens are not configured');
}
