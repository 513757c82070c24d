import { z } from 'zod';
import { inviteByEmail } from '../operations/invitations/invite-by-email.js';
import { createInvitationLink, sendInvitation } from '../operations/invitations/send.js';
import type { Operation } from '../operations/operation.js';
import { setAccess } from '../operations/users/access.js';
import { addUser } from '../operations/users/add.js';
import { eraseUser } from '../operations/users/erase.js';
import { listUsers } from '../operations/users/list.js';
import { changeEmail, updateUser } from '../operations/users/profile.js';
import { getUser, listUserSessions } from '../operations/users/read.js';
import { resetPasswordAsAdmin } from '../operations/users/reset-password.js';
import { invalidateSessions, revokeUserSession } from '../operations/users/sessions.js';
import { disableUser, enableUser, setExpiry, unlockUser } from '../operations/users/status.js';
import { listUsersSchema, resourceSchema } from '../schemas/users.js';
import { type OperationRouteSpec, operationRoute, type RequestParts } from './operation-route.js';
import { inviteByEmailResponse, pageOf, sessionResponse, userResponse } from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'users';

/** `users.list`'s input from a flat query string. */
function listInput({ resourceType, resourceId, ...query }: Readonly<Record<string, unknown>>): unknown {
  return resourceType === undefined && resourceId === undefined
    ? query
    : { ...query, resource: { type: resourceType, id: resourceId } };
}

/** The user a route's path names. */
const userId = ({ params }: RequestParts) => params.userId;

/** One call on a user by id that answers the user, unless `more` says otherwise. */
function userCall(
  operation: Operation,
  method: Route['method'],
  path: string,
  summary: string,
  args: OperationRouteSpec['args'],
  more: Partial<OperationRouteSpec> = {},
): Route {
  return operationRoute(operation, {
    method,
    path: `/users/{userId}${path}`,
    summary,
    tag,
    access: 'actor',
    returns: 'The user',
    response: userResponse,
    args,
    ...more,
  });
}

/** The routes of `um.as(actor).users` and `.invitations`. */
export const userRoutes: Route[] = [
  operationRoute(addUser, {
    method: 'POST',
    path: '/users',
    response: z.strictObject({ user: userResponse, invitationSent: z.boolean() }),
    summary: 'Add a user to an organization, inviting them by mail unless asked not to',
    tag,
    access: 'actor',
    body: 0,
    status: 201,
    returns: 'The user, and whether the invitation was sent',
    args: ({ body }) => [body],
  }),
  {
    ...operationRoute(listUsers, {
      method: 'GET',
      path: '/users',
      response: pageOf(userResponse),
      summary: "Search and filter an organization's users, one page at a time",
      tag,
      access: 'actor',
      returns: 'A page of users and the cursor of the next page (null at the end)',
      args: ({ query }) => [listInput(query)],
    }),
    // A query string is flat: the resource filter travels as `resourceType` and `resourceId`.
    query: listUsersSchema
      .omit({ resource: true })
      .extend({ resourceType: resourceSchema.shape.type.optional(), resourceId: resourceSchema.shape.id.optional() }),
  },
  userCall(getUser, 'GET', '', 'Read a user', (parts) => [userId(parts)]),
  userCall(
    updateUser,
    'PATCH',
    '',
    "Change a user's name, phone or preferences (the user themselves, or an admin)",
    (parts) => [userId(parts), parts.body],
    { body: 1 },
  ),
  userCall(
    changeEmail,
    'PUT',
    '/email',
    "Change a user's address (an admin, never the user themselves)",
    (parts) => [userId(parts), (parts.body as { email: unknown }).email],
    { body: { email: 1 } },
  ),
  userCall(
    setAccess,
    'PUT',
    '/access',
    "Set a user's permissions, roles and whether they may sign in",
    (parts) => [userId(parts), parts.body],
    { body: 1 },
  ),
  userCall(
    setExpiry,
    'PUT',
    '/expiry',
    'Make an account temporary (a date) or permanent (null)',
    (parts) => [userId(parts), (parts.body as { expiresAt: unknown }).expiresAt],
    { body: { expiresAt: 1 } },
  ),
  userCall(disableUser, 'POST', '/disable', 'Disable a user (their sessions end)', (parts) => [userId(parts)]),
  userCall(enableUser, 'POST', '/enable', 'Enable a disabled user', (parts) => [userId(parts)]),
  userCall(unlockUser, 'POST', '/unlock', 'Unlock a user locked out by failed sign-ins', (parts) => [userId(parts)]),
  userCall(
    eraseUser,
    'DELETE',
    '',
    'Erase a user: personal data removed, the record kept for the audit trail',
    (parts) => [userId(parts)],
    { status: 204, returns: 'Nothing' },
  ),
  userCall(invalidateSessions, 'DELETE', '/sessions', 'Sign a user out everywhere', (parts) => [userId(parts)], {
    returns: 'How many sessions ended',
    response: z.strictObject({ revoked: z.number().int() }),
  }),
  userCall(
    listUserSessions,
    'GET',
    '/sessions',
    "A user's live sessions, most recently used first",
    (parts) => [userId(parts)],
    {
      returns: 'The live sessions',
      response: z.array(sessionResponse),
    },
  ),
  userCall(
    revokeUserSession,
    'DELETE',
    '/sessions/{sessionId}',
    'End one of a user’s sessions',
    (parts) => [userId(parts), parts.params.sessionId],
    { status: 204, returns: 'Nothing' },
  ),
  userCall(
    resetPasswordAsAdmin,
    'POST',
    '/password-reset',
    'Mail a reset link, or set a temporary password the user must change at the next sign-in',
    (parts) => [userId(parts), parts.body],
    { body: 1, status: 204, returns: 'Nothing' },
  ),
  userCall(
    sendInvitation,
    'POST',
    '/invitation',
    'Send or resend the invitation; earlier links stop working',
    (parts) => [userId(parts)],
    {
      tag: 'invitations',
      returns: 'When the new link expires, and whether the mail went out',
      response: z.strictObject({ expiresAt: z.iso.datetime(), sent: z.boolean() }),
    },
  ),
  userCall(
    createInvitationLink,
    'POST',
    '/invitation-link',
    'Create an invitation link to hand over by hand; earlier links stop working',
    (parts) => [userId(parts)],
    {
      tag: 'invitations',
      returns: 'The link and when it expires',
      response: z.strictObject({ link: z.string(), expiresAt: z.iso.datetime() }),
    },
  ),
  operationRoute(inviteByEmail, {
    method: 'POST',
    path: '/invitations',
    response: inviteByEmailResponse,
    summary: 'Invite a list of addresses: new ones become pending users, known ones are matched',
    tag: 'invitations',
    access: 'actor',
    body: 0,
    returns: 'The users created and matched, and the addresses refused with their error code',
    args: ({ body }) => [body],
  }),
];
