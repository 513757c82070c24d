import { z } from 'zod';
import {
  assertKnownRoles,
  assertOperator,
  operatorOrganization,
  saveOrganization,
} from '../../flows/organization-writes.js';
import { enforce, notFound } from '../../flows/unit.js';
import { checkContactCandidate } from '../../rules/contact-person.js';
import { idSchema } from '../../schemas/common.js';
import { allowedRolesSchema, featuresSchema, updateOrganizationSchema } from '../../schemas/organizations.js';
import type { Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

/** `organizations.update`: name and profile by administrators; attributes by the operator only. */
export const updateOrganization = defineOperation({
  name: 'organizations.update',
  input: z.tuple([idSchema, updateOrganizationSchema]),
  async run(unit, [id, data]) {
    const organization = await unit.organizationFor(id, 'administer', { forUpdate: true });
    if (data.attributes !== undefined) assertOperator(unit);
    const updated: Organization = {
      ...organization,
      name: data.name ?? organization.name,
      profile: data.profile ?? organization.profile,
      attributes: data.attributes ?? organization.attributes,
      updatedAt: unit.now,
    };
    return saveOrganization(unit, organization, updated, 'organization.updated', ['name', 'profile', 'attributes']);
  },
});

/** `organizations.setFeatures` (operator only). Grants stay; effective permissions follow. */
export const setFeatures = defineOperation({
  name: 'organizations.setFeatures',
  input: z.tuple([idSchema, featuresSchema]),
  async run(unit, [id, features]) {
    const organization = await operatorOrganization(unit, id);
    const updated = { ...organization, features, updatedAt: unit.now };
    return saveOrganization(unit, organization, updated, 'organization.features.changed', ['features']);
  },
});

/** `organizations.setAllowedRoles` (operator only): which standard roles the organization's admins may assign. */
export const setAllowedRoles = defineOperation({
  name: 'organizations.setAllowedRoles',
  input: z.tuple([idSchema, allowedRolesSchema]),
  async run(unit, [id, allowedRoles]) {
    const organization = await operatorOrganization(unit, id);
    if (allowedRoles) assertKnownRoles(unit, allowedRoles);
    const updated = { ...organization, allowedRoles, updatedAt: unit.now };
    return saveOrganization(unit, organization, updated, 'organization.allowedRoles.changed', ['allowedRoles']);
  },
});

/** `organizations.setContactPerson`: any user of the organization who is neither disabled nor erased. */
export const setContactPerson = defineOperation({
  name: 'organizations.setContactPerson',
  input: z.tuple([idSchema, idSchema]),
  async run(unit, [id, userId]) {
    const organization = await unit.organizationFor(id, 'administer', { forUpdate: true });
    const user = await unit.tx.users.get(userId);
    if (!user) throw notFound();
    enforce(checkContactCandidate(organization, user));
    const updated = { ...organization, contactUserId: user.id, updatedAt: unit.now };
    return saveOrganization(unit, organization, updated, 'organization.contact.changed', ['contactUserId']);
  },
});
