import { z } from 'zod';
import { idSchema } from '../schemas/common.js';
import {
  allowedRolesSchema,
  createOrganizationSchema,
  featuresSchema,
  listOrganizationsSchema,
  updateOrganizationSchema,
} from '../schemas/organizations.js';
import { parseInput } from '../schemas/parse.js';
import { customRoleSchema, listAuditSchema } from '../schemas/roles-audit.js';
import {
  auditPageResponse,
  organizationResponse,
  permissionChoiceResponse,
  roleResponse,
  userResponse,
} from './response-schemas.js';
import type { Route } from './routing.js';

const tag = 'organizations';
const featuresBody = z.strictObject({ features: featuresSchema });
const allowedRolesBody = z.strictObject({ roles: allowedRolesSchema });
const contactBody = z.strictObject({ userId: idSchema });

/** A change to one organization that answers the organization. */
function organizationChange(
  method: 'PATCH' | 'PUT',
  path: string,
  operationId: string,
  summary: string,
  body: z.ZodType,
  run: Route['run'],
): Route {
  const base = '/organizations/{organizationId}';
  return {
    method,
    path: `${base}${path}`,
    operationId,
    summary,
    tag,
    access: 'actor',
    body,
    returns: 'The organization',
    response: organizationResponse,
    run,
  };
}

/** The routes of `um.as(actor).organizations`, `.roles` and `.audit`. */
export const organizationRoutes: Route[] = [
  {
    method: 'POST',
    path: '/organizations',
    operationId: 'organizations.create',
    response: z.strictObject({
      organization: organizationResponse,
      firstUser: userResponse,
      invitationSent: z.boolean(),
    }),
    summary: 'Create an organization (a customer, a sub-organization) with its first admin',
    tag,
    access: 'actor',
    body: createOrganizationSchema,
    status: 201,
    returns: 'The organization, its first user, and whether their invitation was sent',
    run: async ({ api, body }) => api.organizations.create((await body()) as never),
  },
  {
    method: 'GET',
    path: '/organizations',
    operationId: 'organizations.list',
    response: z.array(organizationResponse),
    summary: 'The organizations the actor may see, optionally the customers of a partner or the children of a parent',
    tag,
    access: 'actor',
    // The listing's own filter schema, without the default that lets the core be called with nothing.
    query: listOrganizationsSchema.unwrap(),
    returns: 'Organizations',
    run: ({ api, query }) => api.organizations.list(parseInput(listOrganizationsSchema, query)),
  },
  {
    method: 'GET',
    path: '/organizations/{organizationId}',
    operationId: 'organizations.get',
    response: organizationResponse,
    summary: 'Read an organization',
    tag,
    access: 'actor',
    returns: 'The organization',
    run: ({ api, params }) => api.organizations.get(params.organizationId as string),
  },
  organizationChange(
    'PATCH',
    '',
    'organizations.update',
    "Change an organization's name or profile (attributes: the operator only)",
    updateOrganizationSchema,
    async ({ api, params, body }) => api.organizations.update(params.organizationId as string, (await body()) as never),
  ),
  organizationChange(
    'PUT',
    '/features',
    'organizations.setFeatures',
    "Set an organization's company-level features (the operator only)",
    featuresBody,
    async ({ api, params, body }) =>
      api.organizations.setFeatures(params.organizationId as string, parseInput(featuresBody, await body()).features),
  ),
  organizationChange(
    'PUT',
    '/allowed-roles',
    'organizations.setAllowedRoles',
    'Set which standard roles the organization may assign, or null for all (the operator only)',
    allowedRolesBody,
    async ({ api, params, body }) =>
      api.organizations.setAllowedRoles(
        params.organizationId as string,
        parseInput(allowedRolesBody, await body()).roles,
      ),
  ),
  organizationChange(
    'PUT',
    '/contact-person',
    'organizations.setContactPerson',
    "Make one of the organization's users its contact person",
    contactBody,
    async ({ api, params, body }) =>
      api.organizations.setContactPerson(params.organizationId as string, parseInput(contactBody, await body()).userId),
  ),
  {
    method: 'GET',
    path: '/organizations/{organizationId}/roles',
    operationId: 'roles.list',
    response: z.array(roleResponse),
    summary: 'The roles the organization may assign, standard and custom',
    tag: 'roles',
    access: 'actor',
    returns: 'Roles with their permissions',
    run: ({ api, params }) => api.roles.list(params.organizationId as string),
  },
  {
    method: 'POST',
    path: '/organizations/{organizationId}/roles',
    operationId: 'roles.createCustom',
    response: roleResponse,
    summary: 'Create a custom role for the organization (the operator only)',
    tag: 'roles',
    access: 'actor',
    body: customRoleSchema,
    status: 201,
    returns: 'The role',
    run: async ({ api, params, body }) =>
      api.roles.createCustom(params.organizationId as string, (await body()) as never),
  },
  {
    method: 'DELETE',
    path: '/organizations/{organizationId}/roles/{key}',
    operationId: 'roles.deleteCustom',
    summary: 'Delete a custom role; its holders lose it (the operator only)',
    tag: 'roles',
    access: 'actor',
    status: 204,
    returns: 'Nothing',
    run: ({ api, params }) => api.roles.deleteCustom(params.organizationId as string, params.key as string),
  },
  {
    method: 'GET',
    path: '/organizations/{organizationId}/permissions',
    operationId: 'permissions.list',
    response: z.array(permissionChoiceResponse),
    summary: "The catalog's permissions for the organization: available there, and grantable by the caller",
    tag: 'roles',
    access: 'actor',
    returns: 'Permissions with their labels, requirements, availability and whether the caller may grant them',
    run: ({ api, params }) => api.permissions.list(params.organizationId as string),
  },
  {
    method: 'GET',
    path: '/audit',
    operationId: 'audit.list',
    response: auditPageResponse,
    summary: "An organization's audit trail, newest first, with filters",
    tag: 'audit',
    access: 'actor',
    query: listAuditSchema,
    returns:
      'A page of audit events, the cursor of the next page, and with `names=true` the names of whom they mention',
    run: ({ api, query }) => api.audit.list(query as never),
  },
];
