import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { codeOf, type MakeStorage, makeTenantry, person, sessionOf } from '../support/tenantry.js';

const password = 'a long passphrase nobody guesses';

async function withTokens(makeStorage: MakeStorage) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const t = await makeTenantry(makeStorage, {
    accessTokens: {
      privateKey,
      publicKey: await exportJWK(publicKey),
      alg: 'EdDSA',
      issuer: 'portal',
      audience: 'api',
      ttlSeconds: 300,
    },
  });
  const created = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
  const token = new URL(t.mailer.outbox.at(-1)?.link as string).searchParams.get('token') as string;
  const signedIn = sessionOf(await t.um.auth.acceptInvitation({ token, password }));
  return { ...t, ...created, sessionToken: signedIn.token, privateKey };
}

export function describeAccessTokens(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: access tokens`, () => {
    it('issues a short-lived JWT with the user, organization, session and permissions, verifiable by JWKS', async () => {
      const { um, sessionToken, firstUser, organization, clock } = await withTokens(makeStorage);
      const jwt = await um.auth.issueAccessToken(sessionToken);
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'EdDSA', kid: 'tenantry-1', typ: 'at+jwt' });
      const claims = await um.auth.verifyAccessToken(jwt);
      expect(claims).toMatchObject({
        sub: firstUser.id,
        org: organization.id,
        permissions: ['org.admin'],
        iss: 'portal',
        aud: 'api',
      });
      expect(claims.exp - claims.iat).toBe(300);
      expect(claims.sid).toMatch(/^[0-9a-f]{64}$/);
      const jwks = await um.auth.getJwks();
      expect(jwks.keys[0]).not.toHaveProperty('d');
      const elsewhere = await jwtVerify(jwt, createLocalJWKSet(jwks), {
        issuer: 'portal',
        audience: 'api',
        currentDate: clock.now(),
      });
      expect(elsewhere.payload.sub).toBe(firstUser.id);
    });

    it('refuses expired tokens, other issuers and audiences, foreign keys and unsigned tokens', async () => {
      const { um, sessionToken, clock, privateKey } = await withTokens(makeStorage);
      const jwt = await um.auth.issueAccessToken(sessionToken);
      const now = Math.floor(clock.now().getTime() / 1000);
      const forge = (issuer: string, audience: string, key = privateKey) =>
        new SignJWT({ sid: 'x' })
          .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime(now + 60)
          .sign(key);
      const { privateKey: foreign } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const unsigned = new UnsecuredJWT({ sub: 'usr_x' })
        .setIssuer('portal')
        .setAudience('api')
        .setExpirationTime(now + 60)
        .encode();
      for (const bad of [
        await forge('other', 'api'),
        await forge('portal', 'other'),
        await forge('portal', 'api', foreign),
        unsigned,
        'garbage',
      ]) {
        expect(await codeOf(um.auth.verifyAccessToken(bad))).toBe('TOKEN_INVALID');
      }
      clock.advance(301_000);
      expect(await codeOf(um.auth.verifyAccessToken(jwt))).toBe('TOKEN_INVALID');
    });

    it('fails strict verification once the session ended, though the token has not expired', async () => {
      const { um, sessionToken, firstUser } = await withTokens(makeStorage);
      const jwt = await um.auth.issueAccessToken(sessionToken);
      expect((await um.auth.verifyAccessToken(jwt, { strict: true })).sub).toBe(firstUser.id);
      await um.auth.signOut(sessionToken);
      expect((await um.auth.verifyAccessToken(jwt)).sub).toBe(firstUser.id);
      expect(await codeOf(um.auth.verifyAccessToken(jwt, { strict: true }))).toBe('SESSION_INVALID');
      expect(await codeOf(um.auth.issueAccessToken(sessionToken))).toBe('SESSION_INVALID');
    });

    it('fails strict verification after an admin invalidated the sessions', async () => {
      const { um, sessionToken, operator, firstUser } = await withTokens(makeStorage);
      const jwt = await um.auth.issueAccessToken(sessionToken);
      expect((await operator.users.invalidateSessions(firstUser.id)).revoked).toBe(1);
      expect(await codeOf(um.auth.verifyAccessToken(jwt, { strict: true }))).toBe('SESSION_INVALID');
    });

    it('says clearly when access tokens are not configured', async () => {
      const t = await makeTenantry(makeStorage);
      expect(await codeOf(t.um.auth.getJwks())).toBe('VALIDATION_FAILED');
    });
  });
}
