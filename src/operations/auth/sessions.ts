import { z } from 'zod';
import { accessTokensUnavailable } from '../../access-tokens.js';
import type { ValidatedSession } from '../../auth-types.js';
import {
  signOut as endSession,
  liveSessionByDigest,
  validateSession as validateInTransaction,
  validateLiveSession,
  validateSessionQuickly,
} from '../../flows/session-validation.js';
import { tokenDigest } from '../../secrets/one-time-token.js';
import { defineOperation } from '../operation.js';

/**
 * `auth.validateSession`: the live session behind a bearer token, its user
 * reloaded (so a change of rights applies on the next request), or
 * `SESSION_INVALID`. One statement on PostgreSQL while no renewal is due.
 */
export const validateSession = defineOperation({
  name: 'auth.validateSession',
  input: z.tuple([z.unknown()]),
  execute: async (steps, [token]): Promise<ValidatedSession> =>
    (await validateSessionQuickly(steps.context, token)) ??
    steps.transact((unit) => validateInTransaction(unit, token)),
});

/** `auth.signOut`: ends the session; an unknown or ended one is already signed out. */
export const signOut = defineOperation({
  name: 'auth.signOut',
  input: z.tuple([z.unknown()]),
  run: (unit, [token]) => endSession(unit, token),
});

/** `auth.issueAccessToken`: a short-lived JWT for the user behind a live session (needs `accessTokens`). */
export const issueAccessToken = defineOperation({
  name: 'auth.issueAccessToken',
  input: z.tuple([z.unknown()]),
  async execute(steps, [token]): Promise<string> {
    const keys = steps.context.accessTokens;
    if (!keys) throw accessTokensUnavailable();
    const validated = await steps.transact((unit) => validateInTransaction(unit, token));
    return keys.sign(
      {
        userId: validated.user.id,
        organizationId: validated.user.organizationId,
        sessionDigest: tokenDigest(String(token)),
        permissions: validated.permissions,
        resourceAccess: validated.resourceAccess,
        authenticationMethods: validated.session.authenticationMethods,
      },
      steps.context.clock.now(),
    );
  },
});

/** `auth.verifyAccessToken`: signature, algorithm, expiry, issuer and audience; `strict` also that the session lives. */
export const verifyAccessToken = defineOperation({
  name: 'auth.verifyAccessToken',
  input: z.tuple([z.unknown(), z.strictObject({ strict: z.boolean().optional() }).default({})]),
  async execute(steps, [jwt, options]) {
    const keys = steps.context.accessTokens;
    if (!keys) throw accessTokensUnavailable();
    const claims = await keys.verify(jwt, steps.context.clock.now());
    if (options.strict) {
      const live = await steps.transact(async (unit) =>
        validateLiveSession(unit, await liveSessionByDigest(unit, String(claims.sid))),
      );
      // Access the token left out (too large to carry) is read from the session it was issued for.
      if (claims.res_omitted) return { ...claims, res: live.resourceAccess };
    }
    return claims;
  },
});

/** `auth.getJwks`: the verification key as a JWKS. */
export const getJwks = defineOperation({
  name: 'auth.getJwks',
  input: z.tuple([]),
  async execute(steps) {
    const keys = steps.context.accessTokens;
    if (!keys) throw accessTokensUnavailable();
    return keys.jwks();
  },
});
