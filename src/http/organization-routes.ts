import { z } from 'zod';
import { listAudit } from '../operations/audit/list.js';
import {
  setAllowedRoles,
  setContactPerson,
  setFeatures,
  updateOrganization,
} from '../operations/organizations/change.js';
import { createOrganization } from '../operations/organizations/create.js';
import { getOrganization, listOrganizations } from '../operations/organizations/read.js';
import { createCustomRole, deleteCustomRole, listPermissions, listRoles } from '../operations/roles/roles.js';
import { type OperationRouteSpec, operationRoute } from './operation-route.js';
import {
  auditPageResponse,
  organizationResponse,
  permissionChoiceResponse,
  roleResponse,
  userResponse,
} from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'organizations';
const base = '/organizations/{organizationId}';

/** The organization a route's path names, as the operation's first argument. */
const organizationId = ({ params }: { params: Readonly<Record<string, string>> }) => params.organizationId;

/** A change to one organization that answers the organization. */
const organizationChange = (spec: Pick<OperationRouteSpec, 'method' | 'path' | 'summary' | 'body' | 'args'>) =>
  ({
    ...spec,
    path: `${base}${spec.path}`,
    tag,
    access: 'actor',
    returns: 'The organization',
    response: organizationResponse,
  }) as const;

/** The routes of `um.as(actor).organizations`, `.roles` and `.audit`. */
export const organizationRoutes: Route[] = [
  operationRoute(createOrganization, {
    method: 'POST',
    path: '/organizations',
    response: z.strictObject({
      organization: organizationResponse,
      firstUser: userResponse,
      invitationSent: z.boolean(),
    }),
    summary: 'Create an organization (a customer, a sub-organization) with its first admin',
    tag,
    access: 'actor',
    body: 0,
    status: 201,
    returns: 'The organization, its first user, and whether their invitation was sent',
    args: ({ body }) => [body],
  }),
  operationRoute(listOrganizations, {
    method: 'GET',
    path: '/organizations',
    response: z.array(organizationResponse),
    summary: 'The organizations the actor may see, optionally the customers of a partner or the children of a parent',
    tag,
    access: 'actor',
    query: 0,
    returns: 'Organizations',
    args: ({ query }) => [query],
  }),
  operationRoute(getOrganization, {
    method: 'GET',
    path: base,
    response: organizationResponse,
    summary: 'Read an organization',
    tag,
    access: 'actor',
    returns: 'The organization',
    args: (parts) => [organizationId(parts)],
  }),
  operationRoute(
    updateOrganization,
    organizationChange({
      method: 'PATCH',
      path: '',
      summary: "Change an organization's name or profile (attributes: the operator only)",
      body: 1,
      args: (parts) => [organizationId(parts), parts.body],
    }),
  ),
  operationRoute(
    setFeatures,
    organizationChange({
      method: 'PUT',
      path: '/features',
      summary: "Set an organization's company-level features (the operator only)",
      body: { features: 1 },
      args: (parts) => [organizationId(parts), (parts.body as { features: unknown }).features],
    }),
  ),
  operationRoute(
    setAllowedRoles,
    organizationChange({
      method: 'PUT',
      path: '/allowed-roles',
      summary: 'Set which standard roles the organization may assign, or null for all (the operator only)',
      body: { roles: 1 },
      args: (parts) => [organizationId(parts), (parts.body as { roles: unknown }).roles],
    }),
  ),
  operationRoute(
    setContactPerson,
    organizationChange({
      method: 'PUT',
      path: '/contact-person',
      summary: "Make one of the organization's users its contact person",
      body: { userId: 1 },
      args: (parts) => [organizationId(parts), (parts.body as { userId: unknown }).userId],
    }),
  ),
  operationRoute(listRoles, {
    method: 'GET',
    path: `${base}/roles`,
    response: z.array(roleResponse),
    summary: 'The roles the organization may assign, standard and custom',
    tag: 'roles',
    access: 'actor',
    returns: 'Roles with their permissions',
    args: (parts) => [organizationId(parts)],
  }),
  operationRoute(createCustomRole, {
    method: 'POST',
    path: `${base}/roles`,
    response: roleResponse,
    summary: 'Create a custom role for the organization (the operator only)',
    tag: 'roles',
    access: 'actor',
    body: 1,
    status: 201,
    returns: 'The role',
    args: (parts) => [organizationId(parts), parts.body],
  }),
  operationRoute(deleteCustomRole, {
    method: 'DELETE',
    path: `${base}/roles/{key}`,
    summary: 'Delete a custom role; its holders lose it (the operator only)',
    tag: 'roles',
    access: 'actor',
    status: 204,
    returns: 'Nothing',
    args: (parts) => [organizationId(parts), parts.params.key],
  }),
  operationRoute(listPermissions, {
    method: 'GET',
    path: `${base}/permissions`,
    response: z.array(permissionChoiceResponse),
    summary: "The catalog's permissions for the organization: available there, and grantable by the caller",
    tag: 'roles',
    access: 'actor',
    returns: 'Permissions with their labels, requirements, availability and whether the caller may grant them',
    args: (parts) => [organizationId(parts)],
  }),
  operationRoute(listAudit, {
    method: 'GET',
    path: '/audit',
    response: auditPageResponse,
    summary: "An organization's audit trail, newest first, with filters",
    tag: 'audit',
    access: 'actor',
    query: 0,
    returns:
      'A page of audit events, the cursor of the next page, and with `names=true` the names of whom they mention',
    args: ({ query }) => [query],
  }),
];
