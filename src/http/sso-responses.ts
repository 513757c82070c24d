import { z } from 'zod';
import { sessionResponse, userResponse } from './response-schemas.js';

const date = z.iso.datetime();
const access = z.strictObject({ roles: z.array(z.string()), permissions: z.array(z.string()) });

/** An SSO connection as the API shows it: what the company's IT copies, never a secret. */
export const ssoConnectionResponse = z.strictObject({
  id: z.string(),
  organizationId: z.string(),
  type: z.enum(['oidc', 'saml']),
  name: z.string(),
  enabled: z.boolean(),
  redirectUri: z.string().optional(),
  issuer: z.string().optional(),
  clientId: z.string().optional(),
  acsUrl: z.string().optional(),
  entityId: z.string().optional(),
  idpEntityId: z.string().optional(),
  roleMapping: z.strictObject({ claim: z.string(), map: z.record(z.string(), access) }).nullable(),
  defaultAccess: access,
  createdAt: date,
  updatedAt: date,
});

/** Where an address signs in. */
export const signInMethodResponse = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('password') }),
  z.strictObject({ method: z.literal('sso'), connectionId: z.string() }),
]);

/** A started SSO sign-in: where to send the browser, and the state to hand back. */
export const ssoStartResponse = z.strictObject({ url: z.string(), state: z.string() });

/** A finished SSO sign-in (a session, or the user's own second factor first). */
export const ssoSignInResponse = z.strictObject({
  kind: z.enum(['session', 'second-factor-required', 'second-factor-enrollment-required']),
  token: z.string().optional(),
  session: sessionResponse.optional(),
  challengeToken: z.string().optional(),
  methods: z.array(z.enum(['totp', 'passkey', 'recovery-code'])).optional(),
  user: userResponse,
  created: z.boolean(),
  returnTo: z.string().nullable(),
});
