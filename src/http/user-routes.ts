import { z } from 'zod';
import { resetModeSchema } from '../flows/admin-password-reset.js';
import { inviteByEmailSchema } from '../flows/invite-by-email.js';
import { parseInput } from '../schemas/parse.js';
import {
  addUserSchema,
  changeEmailSchema,
  expirySchema,
  listUsersSchema,
  setAccessSchema,
  updateUserSchema,
} from '../schemas/users.js';
import { inviteByEmailResponse, pageOf, sessionResponse, userResponse } from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'users';
const emailBody = z.strictObject({ email: changeEmailSchema });
const expiryBody = z.strictObject({ expiresAt: expirySchema });

/** One call on a user by id that answers the user, unless `more` says otherwise. */
function userCall(
  method: Route['method'],
  path: string,
  operationId: string,
  summary: string,
  run: Route['run'],
  more: Partial<Route> = {},
): Route {
  const target = `/users/{userId}${path}`;
  return {
    method,
    path: target,
    operationId,
    summary,
    tag,
    access: 'actor',
    returns: 'The user',
    response: userResponse,
    run,
    ...more,
  };
}

/** The routes of `um.as(actor).users` and `.invitations`. */
export const userRoutes: Route[] = [
  {
    method: 'POST',
    path: '/users',
    operationId: 'users.add',
    response: z.strictObject({ user: userResponse, invitationSent: z.boolean() }),
    summary: 'Add a user to an organization, inviting them by mail unless asked not to',
    tag,
    access: 'actor',
    body: addUserSchema,
    status: 201,
    returns: 'The user, and whether the invitation was sent',
    run: async ({ api, body }) => api.users.add((await body()) as never),
  },
  {
    method: 'GET',
    path: '/users',
    operationId: 'users.list',
    response: pageOf(userResponse),
    summary: "Search and filter an organization's users, one page at a time",
    tag,
    access: 'actor',
    query: listUsersSchema,
    returns: 'A page of users and the cursor of the next page (null at the end)',
    run: ({ api, query }) => api.users.list(query as never),
  },
  {
    method: 'GET',
    path: '/users/{userId}',
    operationId: 'users.get',
    response: userResponse,
    summary: 'Read a user',
    tag,
    access: 'actor',
    returns: 'The user',
    run: ({ api, params }) => api.users.get(params.userId as string),
  },
  userCall(
    'PATCH',
    '',
    'users.update',
    "Change a user's name, phone or preferences (the user themselves, or an admin)",
    async ({ api, params, body }) => api.users.update(params.userId as string, (await body()) as never),
    { body: updateUserSchema },
  ),
  userCall(
    'PUT',
    '/email',
    'users.changeEmail',
    "Change a user's address (an admin, never the user themselves)",
    async ({ api, params, body }) => {
      const { email } = parseInput(emailBody, await body());
      return api.users.changeEmail(params.userId as string, email);
    },
    { body: emailBody },
  ),
  userCall(
    'PUT',
    '/access',
    'users.setAccess',
    "Set a user's permissions, roles and whether they may sign in",
    async ({ api, params, body }) => api.users.setAccess(params.userId as string, (await body()) as never),
    { body: setAccessSchema },
  ),
  userCall(
    'PUT',
    '/expiry',
    'users.setExpiry',
    'Make an account temporary (a date) or permanent (null)',
    async ({ api, params, body }) => {
      const { expiresAt } = parseInput(expiryBody, await body());
      return api.users.setExpiry(params.userId as string, expiresAt);
    },
    { body: expiryBody },
  ),
  userCall('POST', '/disable', 'users.disable', 'Disable a user (their sessions end)', ({ api, params }) =>
    api.users.disable(params.userId as string),
  ),
  userCall('POST', '/enable', 'users.enable', 'Enable a disabled user', ({ api, params }) =>
    api.users.enable(params.userId as string),
  ),
  userCall('POST', '/unlock', 'users.unlock', 'Unlock a user locked out by failed sign-ins', ({ api, params }) =>
    api.users.unlock(params.userId as string),
  ),
  userCall(
    'DELETE',
    '',
    'users.erase',
    'Erase a user: personal data removed, the record kept for the audit trail',
    ({ api, params }) => api.users.erase(params.userId as string),
    { status: 204, returns: 'Nothing' },
  ),
  userCall(
    'DELETE',
    '/sessions',
    'users.invalidateSessions',
    'Sign a user out everywhere',
    ({ api, params }) => api.users.invalidateSessions(params.userId as string),
    { returns: 'How many sessions ended', response: z.strictObject({ revoked: z.number().int() }) },
  ),
  userCall(
    'GET',
    '/sessions',
    'users.sessions',
    "A user's live sessions, most recently used first",
    ({ api, params }) => api.users.sessions(params.userId as string),
    { returns: 'The live sessions', response: z.array(sessionResponse) },
  ),
  userCall(
    'DELETE',
    '/sessions/{sessionId}',
    'users.revokeSession',
    'End one of a user’s sessions',
    ({ api, params }) => api.users.revokeSession(params.userId as string, params.sessionId as string),
    { status: 204, returns: 'Nothing' },
  ),
  {
    method: 'POST',
    path: '/users/{userId}/password-reset',
    operationId: 'users.resetPassword',
    summary: 'Mail a reset link, or set a temporary password the user must change at the next sign-in',
    tag,
    access: 'actor',
    body: resetModeSchema,
    status: 204,
    returns: 'Nothing',
    run: async ({ api, params, body }) => api.users.resetPassword(params.userId as string, (await body()) as never),
  },
  {
    method: 'POST',
    path: '/users/{userId}/invitation',
    operationId: 'invitations.send',
    response: z.strictObject({ expiresAt: z.iso.datetime(), sent: z.boolean() }),
    summary: 'Send or resend the invitation; earlier links stop working',
    tag: 'invitations',
    access: 'actor',
    returns: 'When the new link expires, and whether the mail went out',
    run: ({ api, params }) => api.invitations.send(params.userId as string),
  },
  {
    method: 'POST',
    path: '/users/{userId}/invitation-link',
    operationId: 'invitations.createLink',
    response: z.strictObject({ link: z.string(), expiresAt: z.iso.datetime() }),
    summary: 'Create an invitation link to hand over by hand; earlier links stop working',
    tag: 'invitations',
    access: 'actor',
    returns: 'The link and when it expires',
    run: ({ api, params }) => api.invitations.createLink(params.userId as string),
  },
  {
    method: 'POST',
    path: '/invitations',
    operationId: 'invitations.inviteByEmail',
    response: inviteByEmailResponse,
    summary: 'Invite a list of addresses: new ones become pending users, known ones are matched',
    tag: 'invitations',
    access: 'actor',
    body: inviteByEmailSchema,
    returns: 'The users created and matched, and the addresses refused with their error code',
    run: async ({ api, body }) => api.invitations.inviteByEmail((await body()) as never),
  },
];
