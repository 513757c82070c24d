import { z } from 'zod';
import { forgetResource, resourceHolders } from '../operations/resources/resources.js';
import { grantResource, revokeResource, setResourceAccess } from '../operations/users/resources.js';
import { resourceHoldersSchema } from '../schemas/users.js';
import { operationRoute } from './operation-route.js';
import { pageOf, userResponse } from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'resources';
const one = '/users/{userId}/resources/{type}';

/** The routes of users' resource access and of `um.as(actor).resources`. */
export const resourceRoutes: Route[] = [
  operationRoute(setResourceAccess, {
    method: 'PUT',
    path: one,
    response: userResponse,
    summary: "Replace a user's access to one resource type: all of it, none, or these ids",
    tag,
    access: 'actor',
    body: { access: 2 },
    returns: 'The user, with their access',
    args: ({ params, body }) => [params.userId, params.type, (body as { access: unknown }).access],
  }),
  operationRoute(grantResource, {
    method: 'PUT',
    path: `${one}/{resourceId}`,
    response: userResponse,
    summary: 'Give a user access to one resource',
    tag,
    access: 'actor',
    returns: 'The user, with their access',
    args: ({ params }) => [params.userId, params.type, params.resourceId],
  }),
  operationRoute(revokeResource, {
    method: 'DELETE',
    path: `${one}/{resourceId}`,
    response: userResponse,
    summary: "Take a user's access to one resource away",
    tag,
    access: 'actor',
    returns: 'The user, with their access',
    args: ({ params }) => [params.userId, params.type, params.resourceId],
  }),
  {
    ...operationRoute(resourceHolders, {
      method: 'GET',
      path: '/organizations/{organizationId}/resources/{type}/{resourceId}/holders',
      response: pageOf(userResponse),
      summary: 'The users with access to a resource (its id, or all of its type), a page at a time',
      tag,
      access: 'actor',
      returns: 'A page of users and the cursor of the next page (null at the end)',
      args: ({ params, query }) => [
        { ...query, organizationId: params.organizationId, type: params.type, resourceId: params.resourceId },
      ],
    }),
    query: resourceHoldersSchema.pick({ limit: true, cursor: true }),
  },
  operationRoute(forgetResource, {
    method: 'DELETE',
    path: '/organizations/{organizationId}/resources/{type}/{resourceId}',
    response: z.strictObject({ revoked: z.number().int() }),
    summary: 'Forget a resource the application deleted: every grant of it goes',
    tag,
    access: 'actor',
    returns: 'How many grants went',
    args: ({ params }) => [{ organizationId: params.organizationId, type: params.type, resourceId: params.resourceId }],
  }),
];
