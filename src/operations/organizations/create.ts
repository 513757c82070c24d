import { z } from 'zod';
import { ORG_ADMIN } from '../../built-in-permissions.js';
import { changedFields } from '../../flows/admin-guard.js';
import { mailInvitation } from '../../flows/invitations.js';
import { assertKnownRoles } from '../../flows/organization-writes.js';
import { enforce, notFound, type Unit } from '../../flows/unit.js';
import { newUser } from '../../flows/user-records.js';
import { insertUser } from '../../flows/user-writes.js';
import { newId } from '../../random.js';
import { actsAsPlatform } from '../../rules/actor.js';
import { checkOrganizationCreation } from '../../rules/organization-creation.js';
import { defaultSecurityPolicy } from '../../rules/second-factor-policy.js';
import { createOrganizationSchema } from '../../schemas/organizations.js';
import type { Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

type CreateInput = z.output<typeof createOrganizationSchema>;

async function create(unit: Unit, data: CreateInput) {
  const parentChain = data.parentId === undefined ? null : await unit.chain(data.parentId);
  const partner = data.partnerId === undefined ? null : await unit.tx.organizations.get(data.partnerId);
  if (data.partnerId !== undefined && !partner) throw notFound();
  enforce(
    checkOrganizationCreation({
      actor: unit.facts,
      kind: data.kind,
      parentChain,
      partner,
      setsOperatorFields:
        data.features !== undefined || data.allowedRoles !== undefined || data.attributes !== undefined,
    }),
  );
  const allowedRoles = data.allowedRoles ?? null;
  if (allowedRoles) assertKnownRoles(unit, allowedRoles);
  const parent = parentChain?.[0] ?? null;
  const inherit = !actsAsPlatform(unit.facts) && parent !== null;
  const organization: Organization = {
    id: newId('org'),
    name: data.name,
    kind: data.kind,
    parentId: parent?.id ?? null,
    partnerId: partner?.id ?? null,
    features: data.features ?? (inherit ? [...parent.features] : []),
    allowedRoles: inherit ? parent.allowedRoles : allowedRoles,
    contactUserId: null,
    profile: data.profile ?? {},
    securityPolicy: defaultSecurityPolicy,
    attributes: data.attributes ?? (inherit ? parent.attributes : {}),
    createdAt: unit.now,
    updatedAt: unit.now,
  };
  const { invite, ...person } = data.firstUser;
  const firstUser = newUser(unit.now, organization.id, { ...person, permissions: [ORG_ADMIN] });
  organization.contactUserId = firstUser.id;
  await unit.tx.organizations.insert(organization);
  unit.record('organization.created', {
    organizationId: organization.id,
    targetId: organization.id,
    changes: changedFields({} as Organization, organization, [
      'name',
      'kind',
      'parentId',
      'partnerId',
      'features',
      'allowedRoles',
    ]),
  });
  await insertUser(unit, organization, firstUser, { firstUser: true });
  const invitation = invite ? await mailInvitation(unit, firstUser, organization) : null;
  return { organization, firstUser: await unit.view(firstUser, organization), invitation };
}

/**
 * `organizations.create`: the organization and its first user (contact
 * person and admin), invited by mail unless asked not to.
 */
export const createOrganization = defineOperation({
  name: 'organizations.create',
  input: z.tuple([createOrganizationSchema]),
  async execute(steps, [data]) {
    const { organization, firstUser, invitation } = await steps.transact((unit) => create(unit, data));
    return { organization, firstUser, invitationSent: invitation ? await invitation.delivered : false };
  },
});
