import { z } from 'zod';
import { opaqueTokenSchema } from './common.js';

/** A password as submitted; the policy's length and strength checks run after parsing. */
const secretSchema = z.string().max(4096);

/** Input of `auth.signIn`. Anything malformed is answered like a wrong password. */
export const signInSchema = z.strictObject({
  email: z.string().max(320),
  password: secretSchema,
  ip: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
});

/** Input of `auth.completePasswordChange`. */
export const passwordChangeSchema = z.strictObject({ challengeToken: z.string().max(200), newPassword: secretSchema });

/** Input of `auth.requestPasswordReset`. */
export const resetRequestSchema = z.strictObject({ email: z.string().max(320) });

/** Input of `auth.resetPassword`. */
export const resetSchema = z.strictObject({ token: z.string().max(200), newPassword: secretSchema });

/** Input of `auth.changePassword`. */
export const changePasswordSchema = z.strictObject({
  sessionToken: z.string().max(200),
  currentPassword: secretSchema,
  newPassword: secretSchema,
});

/** Input of `auth.acceptInvitation`. */
export const acceptInvitationSchema = z.strictObject({
  token: opaqueTokenSchema,
  password: secretSchema,
  acceptTerms: z.boolean().optional(),
});
