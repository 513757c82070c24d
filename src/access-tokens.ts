import { type CryptoKey, exportJWK, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import { TenantryError } from './errors.js';
import type { FlowContext } from './flows/context.js';
import { liveSessionByDigest, validateLiveSession, validateSession } from './flows/session-validation.js';
import { act } from './flows/unit.js';
import { tokenDigest } from './secrets/one-time-token.js';

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
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
}

/** Issues, verifies and publishes access tokens; algorithms are an allow-list of one. */
export function accessTokens(context: FlowContext, options: AccessTokenOptions | undefined) {
  const system = { type: 'system' } as const;
  const unavailable = () => new TenantryError('VALIDATION_FAILED', 'Access tokens are not configured');
  const ttl = Math.min(options?.ttlSeconds ?? 300, 3600);
  const audience = options?.audience ?? options?.issuer ?? '';
  const keyId = options?.keyId ?? 'tenantry-1';
  const key = (which: JWK | CryptoKey): Promise<CryptoKey | Uint8Array> =>
    'kty' in which ? importJWK(which as JWK, options?.alg) : Promise.resolve(which as CryptoKey);
  const privateKey = options ? key(options.privateKey) : null;
  const publicKey = options ? key(options.publicKey) : null;
  privateKey?.catch(() => undefined);
  publicKey?.catch(() => undefined);

  return {
    /** A JWT for the user behind a live session: `sub`, `org`, `sid`, effective `permissions`, short `exp`. */
    async issueAccessToken(sessionToken: string): Promise<string> {
      if (!options || !privateKey) throw unavailable();
      const { result } = await act(context, system, (unit) => validateSession(unit, sessionToken));
      const now = Math.floor(context.clock.now().getTime() / 1000);
      return new SignJWT({
        org: result.user.organizationId,
        sid: tokenDigest(sessionToken),
        permissions: result.permissions,
      })
        .setProtectedHeader({ alg: options.alg, kid: keyId, typ: 'at+jwt' })
        .setSubject(result.user.id)
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + ttl)
        .sign(await privateKey);
    },
    /** Checks signature, algorithm, `exp`, `iss` and `aud`; `strict` also checks that the session still lives. */
    async verifyAccessToken(jwt: string, verifyOptions: { strict?: boolean } = {}): Promise<AccessTokenClaims> {
      if (!options || !publicKey) throw unavailable();
      let claims: AccessTokenClaims;
      try {
        const verified = await jwtVerify(jwt, await publicKey, {
          algorithms: [options.alg],
          issuer: options.issuer,
          audience,
          currentDate: context.clock.now(),
          typ: 'at+jwt',
        });
        claims = verified.payload as unknown as AccessTokenClaims;
      } catch {
        throw new TenantryError('TOKEN_INVALID', 'Invalid or expired access token');
      }
      if (verifyOptions.strict) {
        await act(context, system, async (unit) =>
          validateLiveSession(unit, await liveSessionByDigest(unit, String(claims.sid))),
        );
      }
      return claims;
    },
    /** The public key as a JWKS, for services that verify on their own. */
    async getJwks(): Promise<{ keys: JWK[] }> {
      if (!options || !publicKey) throw unavailable();
      const resolved = await publicKey;
      const jwk = resolved instanceof Uint8Array ? {} : await exportJWK(resolved);
      const { d: _private, ...publicOnly } = jwk;
      return { keys: [{ ...publicOnly, alg: options.alg, use: 'sig', kid: keyId }] };
    },
  };
}
