import { z } from 'zod';
import {
  acceptInvitationSchema,
  passwordChangeSchema,
  resetRequestSchema,
  resetSchema,
  signInSchema,
} from '../schemas/auth.js';
import { opaqueTokenSchema } from '../schemas/common.js';
import { parseInput } from '../schemas/parse.js';
import {
  invitationPreviewResponse,
  signedInResponse,
  signInResponse,
  validatedSessionResponse,
} from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'auth';
const signInBody = signInSchema.pick({ email: true, password: true });
const resetRequestBody = resetRequestSchema.omit({ ip: true });
const passwordChangeBody = passwordChangeSchema.omit({ ip: true });
const resetBody = resetSchema.omit({ ip: true });
const acceptInvitationBody = acceptInvitationSchema.omit({ ip: true });
const tokenBody = z.strictObject({ token: opaqueTokenSchema });
const changePasswordBody = z.strictObject({ currentPassword: z.string().max(4096), newPassword: z.string().max(4096) });

/** The client's address for a flow's allowances and audit trail, when the handler knows it. */
const client = (clientIp: string | undefined): { ip?: string } => (clientIp ? { ip: clientIp } : {});

/** The public flows of `um.auth`. */
export function authRoutes(): Route[] {
  return [
    {
      method: 'POST',
      path: '/auth/sign-in',
      operationId: 'auth.signIn',
      response: signInResponse,
      summary: 'Sign in with address and password',
      tag,
      access: 'public',
      body: signInBody,
      session: 'start',
      returns: 'A session, or a challenge to change the password first (`kind: "password-change-required"`)',
      run: async ({ um, body, request, clientIp }) => {
        const credentials = parseInput(signInBody, await body());
        const userAgent = request.headers.get('user-agent')?.slice(0, 500);
        return um.auth.signIn({ ...credentials, ...client(clientIp), ...(userAgent ? { userAgent } : {}) });
      },
    },
    {
      method: 'POST',
      path: '/auth/password-change',
      operationId: 'auth.completePasswordChange',
      response: signedInResponse,
      summary: 'Set a new password after a sign-in that required it',
      tag,
      access: 'public',
      body: passwordChangeBody,
      session: 'start',
      returns: 'A session',
      run: async ({ um, body, clientIp }) =>
        um.auth.completePasswordChange({ ...parseInput(passwordChangeBody, await body()), ...client(clientIp) }),
    },
    {
      method: 'GET',
      path: '/auth/session',
      operationId: 'auth.validateSession',
      response: validatedSessionResponse,
      summary: 'The current session, its user as they are now, and their effective permissions',
      tag,
      access: 'session',
      returns: 'The session, the user, the actor and the effective permissions',
      run: ({ um, sessionToken }) => um.auth.validateSession(sessionToken as string),
    },
    {
      method: 'POST',
      path: '/auth/sign-out',
      operationId: 'auth.signOut',
      summary: 'End the current session',
      tag,
      access: 'session',
      session: 'end',
      status: 204,
      returns: 'Nothing',
      run: ({ um, sessionToken }) => um.auth.signOut(sessionToken as string),
    },
    {
      method: 'POST',
      path: '/auth/password',
      operationId: 'auth.changePassword',
      summary: "Change one's own password; other sessions end",
      tag,
      access: 'session',
      body: changePasswordBody,
      status: 204,
      returns: 'Nothing',
      run: async ({ um, body, sessionToken }) =>
        um.auth.changePassword({
          ...parseInput(changePasswordBody, await body()),
          sessionToken: sessionToken as string,
        }),
    },
    {
      method: 'POST',
      path: '/auth/password-reset/request',
      operationId: 'auth.requestPasswordReset',
      summary: 'Mail a reset link to the address if it belongs to a resettable account (the answer never tells)',
      tag,
      access: 'public',
      body: resetRequestBody,
      status: 204,
      returns: 'Nothing, whatever the address',
      run: async ({ um, body, clientIp }) =>
        um.auth.requestPasswordReset({ ...parseInput(resetRequestBody, await body()), ...client(clientIp) }),
    },
    {
      method: 'POST',
      path: '/auth/password-reset',
      operationId: 'auth.resetPassword',
      summary: "Set a new password with a reset link's token",
      tag,
      access: 'public',
      body: resetBody,
      status: 204,
      returns: 'Nothing',
      run: async ({ um, body, clientIp }) =>
        um.auth.resetPassword({ ...parseInput(resetBody, await body()), ...client(clientIp) }),
    },
    {
      method: 'POST',
      path: '/auth/invitation',
      operationId: 'auth.inspectInvitation',
      response: invitationPreviewResponse,
      summary:
        'What an invitation link is for, before choosing a password (the token travels in the body, not the URL)',
      tag,
      access: 'public',
      body: tokenBody,
      returns: 'The invited address and name, the organization, and when the link expires',
      run: async ({ um, body, clientIp }) =>
        um.auth.inspectInvitation(parseInput(tokenBody, await body()).token, client(clientIp)),
    },
    {
      method: 'POST',
      path: '/auth/invitation/accept',
      operationId: 'auth.acceptInvitation',
      response: signedInResponse,
      summary: 'Accept an invitation: choose a password, activate the account and sign in',
      tag,
      access: 'public',
      body: acceptInvitationBody,
      session: 'start',
      returns: 'A session',
      run: async ({ um, body, clientIp }) =>
        um.auth.acceptInvitation({ ...parseInput(acceptInvitationBody, await body()), ...client(clientIp) }),
    },
    {
      method: 'POST',
      path: '/auth/access-token',
      operationId: 'auth.issueAccessToken',
      response: z.strictObject({ accessToken: z.string() }),
      summary: 'A short-lived JWT for other services, for the current session (when access tokens are configured)',
      tag,
      access: 'session',
      returns: 'The signed token as `accessToken`',
      run: async ({ um, sessionToken }) => ({ accessToken: await um.auth.issueAccessToken(sessionToken as string) }),
    },
    {
      method: 'GET',
      path: '/auth/jwks',
      operationId: 'auth.getJwks',
      response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      summary: 'The public keys that verify access tokens (when access tokens are configured)',
      tag,
      access: 'public',
      returns: 'A JSON Web Key Set',
      run: ({ um }) => um.auth.getJwks(),
    },
  ];
}
