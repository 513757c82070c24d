import { z } from 'zod';
import {
  acceptInvitation,
  completeRequiredPasswordChange,
  inspectInvitationLink,
  resetPassword,
} from '../operations/auth/links.js';
import { changePassword, requestPasswordReset } from '../operations/auth/passwords.js';
import { getJwks, issueAccessToken, signOut, validateSession } from '../operations/auth/sessions.js';
import { signIn } from '../operations/auth/sign-in.js';
import { operationRoute } from './operation-route.js';
import {
  invitationAcceptedResponse,
  invitationPreviewResponse,
  signInResponse,
  validatedSessionResponse,
} from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'auth';

/** A body parsed by its route, which refused any field the server fills in. */
type Body = Record<string, unknown>;

/** The client's address for a flow's allowances and audit trail, when the handler knows it. */
const client = (clientIp: string | undefined): { ip?: string } => (clientIp ? { ip: clientIp } : {});

/** The body with what the server knows of the client. */
const withClient = (body: unknown, clientIp: string | undefined) => ({ ...(body as Body), ...client(clientIp) });

const serverFields = ['ip'];

/** The public flows of `um.auth`. */
export function authRoutes(): Route[] {
  return [
    operationRoute(signIn, {
      method: 'POST',
      path: '/auth/sign-in',
      response: signInResponse,
      summary: 'Sign in with address and password',
      tag,
      access: 'public',
      body: 0,
      serverFields: ['ip', 'userAgent'],
      session: 'start',
      returns: 'A session, or a challenge to change the password first (`kind: "password-change-required"`)',
      args: ({ body, clientIp, userAgent }) => [{ ...withClient(body, clientIp), ...(userAgent ? { userAgent } : {}) }],
    }),
    operationRoute(completeRequiredPasswordChange, {
      method: 'POST',
      path: '/auth/password-change',
      response: signInResponse,
      summary: 'Set a new password after a sign-in that required it',
      tag,
      access: 'public',
      body: 0,
      serverFields,
      session: 'start',
      returns: 'A session, or a challenge for the second factor the user has or must enroll',
      args: ({ body, clientIp }) => [withClient(body, clientIp)],
    }),
    operationRoute(validateSession, {
      method: 'GET',
      path: '/auth/session',
      response: validatedSessionResponse,
      summary: 'The current session, its user as they are now, and their effective permissions',
      tag,
      access: 'session',
      returns: 'The session, the user, the actor and the effective permissions',
      args: ({ sessionToken }) => [sessionToken],
    }),
    operationRoute(signOut, {
      method: 'POST',
      path: '/auth/sign-out',
      summary: 'End the current session',
      tag,
      access: 'session',
      session: 'end',
      status: 204,
      returns: 'Nothing',
      args: ({ sessionToken }) => [sessionToken],
    }),
    operationRoute(changePassword, {
      method: 'POST',
      path: '/auth/password',
      summary: "Change one's own password; other sessions end",
      tag,
      access: 'session',
      body: 0,
      serverFields: ['sessionToken'],
      status: 204,
      returns: 'Nothing',
      args: ({ body, sessionToken }) => [{ ...(body as Body), sessionToken }],
    }),
    operationRoute(requestPasswordReset, {
      method: 'POST',
      path: '/auth/password-reset/request',
      summary: 'Mail a reset link to the address if it belongs to a resettable account (the answer never tells)',
      tag,
      access: 'public',
      body: 0,
      serverFields,
      status: 204,
      returns: 'Nothing, whatever the address',
      args: ({ body, clientIp }) => [withClient(body, clientIp)],
    }),
    operationRoute(resetPassword, {
      method: 'POST',
      path: '/auth/password-reset',
      summary: "Set a new password with a reset link's token",
      tag,
      access: 'public',
      body: 0,
      serverFields,
      status: 204,
      returns: 'Nothing',
      args: ({ body, clientIp }) => [withClient(body, clientIp)],
    }),
    operationRoute(inspectInvitationLink, {
      method: 'POST',
      path: '/auth/invitation',
      response: invitationPreviewResponse,
      summary:
        'What an invitation link is for, before choosing a password (the token travels in the body, not the URL)',
      tag,
      access: 'public',
      body: { token: 0 },
      returns: 'The invited address and name, the organization, and when the link expires',
      args: ({ body, clientIp }) => [(body as { token: string }).token, client(clientIp)],
    }),
    operationRoute(acceptInvitation, {
      method: 'POST',
      path: '/auth/invitation/accept',
      response: invitationAcceptedResponse,
      summary: 'Accept an invitation: choose a password, activate the account and sign in',
      tag,
      access: 'public',
      body: 0,
      serverFields,
      session: 'start',
      returns:
        'A session, or the second factor to enroll first where the organization requires one and its grace period is over',
      args: ({ body, clientIp, userAgent }) => [{ ...withClient(body, clientIp), ...(userAgent ? { userAgent } : {}) }],
    }),
    operationRoute(issueAccessToken, {
      method: 'POST',
      path: '/auth/access-token',
      response: z.strictObject({ accessToken: z.string() }),
      summary: 'A short-lived JWT for other services, for the current session (when access tokens are configured)',
      tag,
      access: 'session',
      returns: 'The signed token as `accessToken`',
      args: ({ sessionToken }) => [sessionToken],
      answer: (accessToken) => ({ accessToken }),
    }),
    operationRoute(getJwks, {
      method: 'GET',
      path: '/auth/jwks',
      response: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
      summary: 'The public keys that verify access tokens (when access tokens are configured)',
      tag,
      access: 'public',
      returns: 'A JSON Web Key Set',
      args: () => [],
    }),
  ];
}
