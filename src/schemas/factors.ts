import { z } from 'zod';
import { idSchema, opaqueTokenSchema } from './common.js';
import { storableText } from './text.js';

const ipSchema = storableText(100).optional();
const userAgentSchema = storableText(500).optional();

/** A code as typed: six digits for TOTP, a recovery code with or without its dashes. */
const codeSchema = storableText(64).min(1);

/** Input of `auth.verifySecondFactor`. */
export const verifySecondFactorSchema = z.strictObject({
  challengeToken: opaqueTokenSchema,
  method: z.enum(['totp', 'recovery-code']),
  code: codeSchema,
  ip: ipSchema,
  userAgent: userAgentSchema,
});

const labelSchema = storableText(100).min(1).optional();

/** `auth.enrollTotp` by a signed-in user: the label the factor will have (`Authenticator app` by default). */
export const enrollTotpBySessionSchema = z.strictObject({ sessionToken: opaqueTokenSchema, label: labelSchema });
/** `auth.enrollTotp` by a sign-in waiting for its first factor. */
export const enrollTotpByChallengeSchema = z.strictObject({ challengeToken: opaqueTokenSchema, label: labelSchema });
/** Input of `auth.enrollTotp`. */
export const enrollTotpSchema = z.union([enrollTotpBySessionSchema, enrollTotpByChallengeSchema]);

/** `auth.confirmTotp` by a signed-in user. */
export const confirmTotpBySessionSchema = z.strictObject({
  sessionToken: opaqueTokenSchema,
  enrollmentId: idSchema,
  code: codeSchema,
});
/** `auth.confirmTotp` by a sign-in waiting for its first factor, which it then finishes. */
export const confirmTotpByChallengeSchema = z.strictObject({
  challengeToken: opaqueTokenSchema,
  enrollmentId: idSchema,
  code: codeSchema,
  ip: ipSchema,
  userAgent: userAgentSchema,
});
/** Input of `auth.confirmTotp`. */
export const confirmTotpSchema = z.union([confirmTotpBySessionSchema, confirmTotpByChallengeSchema]);

/** Input of `auth.removeFactor`. */
export const removeFactorSchema = z.strictObject({ sessionToken: opaqueTokenSchema, factorId: idSchema });

/** Input of `organizations.setSecurityPolicy`. */
export const securityPolicySchema = z.strictObject({
  mfa: z.enum(['optional', 'required', 'required-for-admins']).optional(),
  enrollmentGraceDays: z.number().int().min(0).max(365).optional(),
  ssoRequired: z.boolean().optional(),
});
/** Input of `organizations.setSecurityPolicy`. */
export type SecurityPolicyInput = z.input<typeof securityPolicySchema>;

const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\w-]*={0,2}$/u, 'Expected base64url');

/** A WebAuthn response as browsers serialize it (`PublicKeyCredential.toJSON()`), each part bounded. */
export const webAuthnResponseSchema = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  response: z.object({
    clientDataJSON: base64url(20_000),
    attestationObject: base64url(100_000).optional(),
    authenticatorData: base64url(20_000).optional(),
    signature: base64url(2_000).optional(),
    userHandle: base64url(1_000).nullable().optional(),
    transports: z.array(z.string().max(20)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(20_000).optional(),
  }),
});

/** `auth.registerPasskey` by a signed-in user. */
export const registerPasskeyBySessionSchema = z.strictObject({
  sessionToken: opaqueTokenSchema,
  response: webAuthnResponseSchema,
  label: labelSchema,
});
/** `auth.registerPasskey` by a sign-in waiting for its first factor, which it then finishes. */
export const registerPasskeyByChallengeSchema = z.strictObject({
  challengeToken: opaqueTokenSchema,
  response: webAuthnResponseSchema,
  label: labelSchema,
  ip: ipSchema,
  userAgent: userAgentSchema,
});
/** Input of `auth.registerPasskey`. */
export const registerPasskeySchema = z.union([registerPasskeyBySessionSchema, registerPasskeyByChallengeSchema]);

/** Who asks for registration options. */
export const passkeyRegistrationOptionsSchema = z.union([
  z.strictObject({ sessionToken: opaqueTokenSchema }),
  z.strictObject({ challengeToken: opaqueTokenSchema }),
]);

/** Input of `auth.passkeyOptions`: the sign-in waiting for a second factor, or nothing for a passwordless one. */
export const passkeyOptionsSchema = z.strictObject({ challengeToken: opaqueTokenSchema.optional() }).default({});

/** Input of `auth.verifyPasskey`. */
export const verifyPasskeySchema = z.strictObject({
  challengeToken: opaqueTokenSchema.optional(),
  response: webAuthnResponseSchema,
  ip: ipSchema,
  userAgent: userAgentSchema,
});
