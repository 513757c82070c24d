import { z } from 'zod';
import { listFactors, regenerateRecoveryCodes, removeFactor } from '../operations/auth/factors.js';
import { passkeyRegistrationOptions, registerPasskey } from '../operations/auth/passkey-registration.js';
import { passkeyOptions, verifyPasskey } from '../operations/auth/passkey-sign-in.js';
import { verifySecondFactor } from '../operations/auth/second-factor.js';
import { confirmTotp, enrollTotp } from '../operations/auth/totp.js';
import { setSecurityPolicy } from '../operations/organizations/security-policy.js';
import { resetFactors, userFactors } from '../operations/users/factors.js';
import {
  confirmTotpByChallengeSchema,
  confirmTotpBySessionSchema,
  enrollTotpByChallengeSchema,
  enrollTotpBySessionSchema,
  registerPasskeyByChallengeSchema,
  registerPasskeyBySessionSchema,
} from '../schemas/factors.js';
import { operationRoute } from './operation-route.js';
import {
  factorConfirmationResponse,
  factorResponse,
  organizationResponse,
  signInResponse,
  totpEnrollmentResponse,
} from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'second factors';

type Body = Record<string, unknown>;

/** The body with what the server knows of the client. */
const withClient = (body: unknown, clientIp: string | undefined, userAgent: string | undefined) => ({
  ...(body as Body),
  ...(clientIp ? { ip: clientIp } : {}),
  ...(userAgent ? { userAgent } : {}),
});

/** What a signed-in user sends: the variant's fields but the session token, which the request carries. */
const bySession = (schema: z.ZodObject) => schema.omit({ sessionToken: true });
/** What a waiting sign-in sends: the variant's fields but the client's, which the server knows. */
const byChallenge = (schema: z.ZodObject) => schema.omit({ ip: true, userAgent: true });

const confirmation = 'The factor, the recovery codes that came with it (the first factor only; shown once)';

/** WebAuthn options as the browser takes them (`PublicKeyCredential.parse…OptionsFromJSON`). */
const optionsResponse = z.strictObject({ options: z.record(z.string(), z.unknown()) });
const optionsReturn = 'The WebAuthn options as JSON, with a fresh single-use challenge';

/** The routes of second factors: sign-in with one, enrollment, one's own factors, admins' view and the policy. */
export const factorRoutes: Route[] = [
  operationRoute(verifySecondFactor, {
    method: 'POST',
    path: '/auth/second-factor',
    response: signInResponse,
    summary: 'Finish a sign-in that asked for a second factor, with a TOTP code or a recovery code',
    tag,
    access: 'public',
    body: 0,
    serverFields: ['ip', 'userAgent'],
    session: 'start',
    returns: 'A session (or a challenge to change the password first)',
    args: ({ body, clientIp, userAgent }) => [withClient(body, clientIp, userAgent)],
  }),
  operationRoute(enrollTotp, {
    method: 'POST',
    path: '/auth/factors/totp',
    response: totpEnrollmentResponse,
    summary: 'Start enrolling an authenticator app for the signed-in user',
    tag,
    access: 'session',
    bodySchema: bySession(enrollTotpBySessionSchema),
    returns: 'The enrollment: its id, the base32 secret and the otpauth:// URI for a QR code',
    args: ({ body, sessionToken }) => [{ ...(body as Body), sessionToken }],
  }),
  operationRoute(confirmTotp, {
    method: 'POST',
    path: '/auth/factors/totp/confirmation',
    response: factorConfirmationResponse,
    summary: 'Confirm an authenticator app with its first code',
    tag,
    access: 'session',
    bodySchema: bySession(confirmTotpBySessionSchema),
    returns: confirmation,
    args: ({ body, sessionToken }) => [{ ...(body as Body), sessionToken }],
  }),
  operationRoute(enrollTotp, {
    method: 'POST',
    path: '/auth/second-factor/enrollment/totp',
    operationId: 'auth.enrollTotpForSignIn',
    response: totpEnrollmentResponse,
    summary: 'Start enrolling an authenticator app, for a sign-in that must enroll a first factor',
    tag,
    access: 'public',
    bodySchema: enrollTotpByChallengeSchema,
    returns: 'The enrollment: its id, the base32 secret and the otpauth:// URI for a QR code',
    args: ({ body }) => [body],
  }),
  operationRoute(confirmTotp, {
    method: 'POST',
    path: '/auth/second-factor/enrollment/totp/confirmation',
    operationId: 'auth.confirmTotpForSignIn',
    response: factorConfirmationResponse,
    summary: 'Confirm the authenticator app of a sign-in that waited for it, and finish the sign-in',
    tag,
    access: 'public',
    bodySchema: byChallenge(confirmTotpByChallengeSchema),
    session: 'start',
    returns: `${confirmation}, and the session`,
    args: ({ body, clientIp, userAgent }) => [withClient(body, clientIp, userAgent)],
  }),
  operationRoute(passkeyRegistrationOptions, {
    method: 'POST',
    path: '/auth/factors/passkey/options',
    response: optionsResponse,
    summary: 'Options to register a passkey for the signed-in user',
    tag,
    access: 'session',
    returns: optionsReturn,
    args: ({ sessionToken }) => [{ sessionToken }],
  }),
  operationRoute(registerPasskey, {
    method: 'POST',
    path: '/auth/factors/passkey',
    response: factorConfirmationResponse,
    summary: 'Keep the passkey the browser registered for the signed-in user',
    tag,
    access: 'session',
    bodySchema: bySession(registerPasskeyBySessionSchema),
    returns: confirmation,
    args: ({ body, sessionToken }) => [{ ...(body as Body), sessionToken }],
  }),
  operationRoute(passkeyRegistrationOptions, {
    method: 'POST',
    path: '/auth/second-factor/enrollment/passkey/options',
    operationId: 'auth.passkeyRegistrationOptionsForSignIn',
    response: optionsResponse,
    summary: 'Options to register a passkey, for a sign-in that must enroll a first factor',
    tag,
    access: 'public',
    body: 0,
    returns: optionsReturn,
    args: ({ body }) => [body],
  }),
  operationRoute(registerPasskey, {
    method: 'POST',
    path: '/auth/second-factor/enrollment/passkey',
    operationId: 'auth.registerPasskeyForSignIn',
    response: factorConfirmationResponse,
    summary: 'Keep the passkey of a sign-in that waited for it, and finish the sign-in',
    tag,
    access: 'public',
    bodySchema: byChallenge(registerPasskeyByChallengeSchema),
    session: 'start',
    returns: `${confirmation}, and the session`,
    args: ({ body, clientIp, userAgent }) => [withClient(body, clientIp, userAgent)],
  }),
  operationRoute(passkeyOptions, {
    method: 'POST',
    path: '/auth/passkey/options',
    response: optionsResponse,
    summary: 'Options to sign in with a passkey: after the password (with its challenge), or alone (without)',
    tag,
    access: 'public',
    body: 0,
    returns: optionsReturn,
    args: ({ body }) => [body],
  }),
  operationRoute(verifyPasskey, {
    method: 'POST',
    path: '/auth/passkey',
    response: signInResponse,
    summary: "Sign in with the browser's passkey answer",
    tag,
    access: 'public',
    body: 0,
    serverFields: ['ip', 'userAgent'],
    session: 'start',
    returns: 'A session',
    args: ({ body, clientIp, userAgent }) => [withClient(body, clientIp, userAgent)],
  }),
  operationRoute(listFactors, {
    method: 'GET',
    path: '/auth/factors',
    response: z.array(factorResponse),
    summary: "The signed-in user's second factors",
    tag,
    access: 'session',
    returns: 'The factors, oldest first, without secrets',
    args: ({ sessionToken }) => [sessionToken],
  }),
  operationRoute(removeFactor, {
    method: 'DELETE',
    path: '/auth/factors/{factorId}',
    summary: "Remove one of the signed-in user's factors (MFA_REQUIRED for the last one a policy needs)",
    tag,
    access: 'session',
    status: 204,
    returns: 'Nothing',
    args: ({ params, sessionToken }) => [{ sessionToken, factorId: params.factorId }],
  }),
  operationRoute(regenerateRecoveryCodes, {
    method: 'POST',
    path: '/auth/recovery-codes',
    response: z.strictObject({ recoveryCodes: z.array(z.string()) }),
    summary: 'Ten new recovery codes for the signed-in user; the earlier ones stop working',
    tag,
    access: 'session',
    returns: 'The codes, shown once',
    args: ({ sessionToken }) => [sessionToken],
  }),
  operationRoute(userFactors, {
    method: 'GET',
    path: '/users/{userId}/factors',
    response: z.array(factorResponse),
    summary: "A user's second factors, for themselves or an admin",
    tag,
    access: 'actor',
    returns: 'The factors, without secrets',
    args: ({ params }) => [params.userId],
  }),
  operationRoute(resetFactors, {
    method: 'POST',
    path: '/users/{userId}/factors/reset',
    response: z.strictObject({ removed: z.number().int() }),
    summary: "Remove a user's second factors and recovery codes (a lost phone); their sessions end",
    tag,
    access: 'actor',
    returns: 'How many factors were removed',
    args: ({ params }) => [params.userId],
  }),
  operationRoute(setSecurityPolicy, {
    method: 'PUT',
    path: '/organizations/{organizationId}/security-policy',
    response: organizationResponse,
    summary: "Whether the organization's users need a second factor, and the grace period to enroll one",
    tag,
    access: 'actor',
    body: 1,
    returns: 'The organization, with its policy',
    args: ({ params, body }) => [params.organizationId, body],
  }),
];
