import { z } from 'zod';
import { opaqueTokenSchema } from './common.js';
import { storableText } from './text.js';

/**
 * A password as submitted; the policy's length and strength checks run after
 * parsing. Any character is allowed but NUL and unpaired surrogates: hashed,
 * an unpaired surrogate would become U+FFFD, and two passwords would be one.
 */
const secretSchema = storableText(4096);

/** The client's address, as the server saw it: it keys the client's allowances. */
const ipSchema = storableText(100).optional();

/** Who asks, for the public flows that take nothing else of the request (`auth.inspectInvitation`). */
export const clientSchema = z.strictObject({ ip: ipSchema }).optional();

/** The client's browser, as the session will record it. */
const userAgentSchema = storableText(500).optional();

/** Input of `auth.signIn`. An address that is not one is answered like a wrong password. */
export const signInSchema = z.strictObject({
  email: storableText(320),
  password: secretSchema,
  ip: ipSchema,
  userAgent: userAgentSchema,
});

/** Input of `auth.completePasswordChange`. */
export const passwordChangeSchema = z.strictObject({
  challengeToken: storableText(200),
  newPassword: secretSchema,
  ip: ipSchema,
});

/** Input of `auth.requestPasswordReset`. */
export const resetRequestSchema = z.strictObject({ email: storableText(320), ip: ipSchema });

/** Input of `auth.resetPassword`. */
export const resetSchema = z.strictObject({ token: storableText(200), newPassword: secretSchema, ip: ipSchema });

/** Input of `auth.changePassword`. */
export const changePasswordSchema = z.strictObject({
  sessionToken: storableText(200),
  currentPassword: secretSchema,
  newPassword: secretSchema,
});

/** Input of `auth.acceptInvitation`. */
export const acceptInvitationSchema = z.strictObject({
  token: opaqueTokenSchema,
  password: secretSchema,
  acceptTerms: z.boolean().optional(),
  ip: ipSchema,
  userAgent: userAgentSchema,
});
