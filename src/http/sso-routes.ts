import { z } from 'zod';
import { beginSso, completeSso, discover } from '../operations/auth/sso.js';
import {
  createConnection,
  listConnections,
  removeConnection,
  updateConnection,
} from '../operations/sso/connections.js';
import { operationRoute } from './operation-route.js';
import type { Route } from './routing.js';
import { signInMethodResponse, ssoConnectionResponse, ssoSignInResponse, ssoStartResponse } from './sso-responses.js';

const tag = 'sso';

/** The routes of `um.as(actor).sso` (an organization's connections) and of SSO sign-in as JSON. */
export const ssoRoutes: Route[] = [
  operationRoute(listConnections, {
    method: 'GET',
    path: '/organizations/{organizationId}/sso-connections',
    response: z.array(ssoConnectionResponse),
    summary: "The organization's connections to its identity providers (its admins or the operator)",
    tag,
    access: 'actor',
    returns: 'The connections, oldest first, without secrets',
    args: ({ params }) => [params.organizationId],
  }),
  operationRoute(createConnection, {
    method: 'POST',
    path: '/organizations/{organizationId}/sso-connections',
    response: ssoConnectionResponse,
    summary: 'Connect the organization to its OpenID provider or SAML identity provider',
    tag,
    access: 'actor',
    body: { provider: 1, options: 2 },
    status: 201,
    returns: 'The connection, with the redirect URI (OIDC) or ACS URL and entity id (SAML) to enter at the provider',
    args: ({ params, body }) => {
      const { provider, options } = body as { provider: unknown; options?: unknown };
      return [params.organizationId, provider, options];
    },
  }),
  operationRoute(updateConnection, {
    method: 'PATCH',
    path: '/sso-connections/{connectionId}',
    response: ssoConnectionResponse,
    summary: 'Change a connection: name, enabled, role mapping, default access, client secret or SAML metadata',
    tag,
    access: 'actor',
    body: 1,
    returns: 'The connection as it is now',
    args: ({ params, body }) => [params.connectionId, body],
  }),
  operationRoute(removeConnection, {
    method: 'DELETE',
    path: '/sso-connections/{connectionId}',
    summary: 'Remove a connection (its users stay; their links to the provider go)',
    tag,
    access: 'actor',
    status: 204,
    returns: 'Nothing',
    args: ({ params }) => [params.connectionId],
  }),
  operationRoute(discover, {
    method: 'POST',
    path: '/auth/discover',
    response: signInMethodResponse,
    summary: 'Where an address signs in: its company’s identity provider, or the password',
    tag,
    access: 'public',
    body: 0,
    returns: 'The method, the same for known and unknown addresses',
    args: ({ body }) => [body],
  }),
  operationRoute(beginSso, {
    method: 'POST',
    path: '/auth/sso',
    response: ssoStartResponse,
    summary: 'Start an SSO sign-in by connection or address: the URL to send the browser to, and the state to keep',
    tag,
    access: 'public',
    body: { target: 0, options: 1 },
    returns: 'The provider’s URL and the state to hand back when the browser returns',
    args: ({ body, clientIp }) => {
      const { target, options } = body as { target: unknown; options?: { ip?: unknown } };
      // The client's address is the server's to say, never the client's.
      const { ip: _sent, ...chosen } = options ?? {};
      return [target, { ...chosen, ...(clientIp ? { ip: clientIp } : {}) }];
    },
  }),
  operationRoute(completeSso, {
    method: 'POST',
    path: '/auth/sso/completion',
    response: ssoSignInResponse,
    summary: 'Finish an SSO sign-in with the provider’s answer (the OIDC callback URL or the SAML response)',
    tag,
    access: 'public',
    body: 0,
    bodySchema: z.strictObject({
      state: z.string(),
      callbackUrl: z.string().optional().describe('OIDC: the URL the provider redirected the browser to'),
      samlResponse: z.string().optional().describe('SAML: the posted SAMLResponse form field'),
    }),
    session: 'start',
    returns: 'A session (or the second factor to prove first), whether the user was created, and where to return',
    args: ({ body, clientIp, userAgent }) => [
      { ...(body as object), ...(clientIp ? { ip: clientIp } : {}), ...(userAgent ? { userAgent } : {}) },
    ],
  }),
];
