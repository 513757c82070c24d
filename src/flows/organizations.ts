import { CUSTOMERS_MANAGE, ORG_ADMIN } from '../built-in-permissions.js';
import { TenantryError } from '../errors.js';
import { newId } from '../random.js';
import { actsAsPlatform } from '../rules/actor.js';
import { requireAccess } from '../rules/administration-scope.js';
import { checkContactCandidate } from '../rules/contact-person.js';
import { checkOrganizationCreation } from '../rules/organization-creation.js';
import { idSchema } from '../schemas/common.js';
import {
  allowedRolesSchema,
  createOrganizationSchema,
  featuresSchema,
  listOrganizationsSchema,
  updateOrganizationSchema,
} from '../schemas/organizations.js';
import { parseInput } from '../schemas/parse.js';
import type { Organization, User } from '../types.js';
import { changedFields, guardAdmins } from './admin-guard.js';
import { issueInvitation } from './invitations.js';
import { enforce, notFound, type Unit } from './unit.js';
import { newUser } from './user-records.js';

/** `organizations.create`: the organization and its first user (contact person and admin). */
export async function createOrganization(unit: Unit, input: unknown) {
  const data = parseInput(createOrganizationSchema, input);
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
    attributes: data.attributes ?? (inherit ? parent.attributes : {}),
    createdAt: unit.now,
    updatedAt: unit.now,
  };
  const { invite, ...person } = data.firstUser;
  const firstUser: User = newUser(unit.now, organization.id, { ...person, permissions: [ORG_ADMIN] });
  organization.contactUserId = firstUser.id;
  await unit.tx.organizations.insert(organization);
  await unit.tx.users.insert(firstUser);
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
  unit.record('user.created', {
    organizationId: organization.id,
    targetId: firstUser.id,
    changes: changedFields({} as User, firstUser, ['email', 'firstName', 'lastName', 'permissions', 'roles']),
    metadata: { firstUser: true },
  });
  const invitation = invite ? (await issueInvitation(unit, firstUser, organization)).mail : null;
  return { organization, firstUser: await unit.view(firstUser, organization), invitation };
}

/** `organizations.get`: members see their own organization; administrators the ones they administer. */
export async function getOrganization(unit: Unit, id: unknown): Promise<Organization> {
  return unit.organizationFor(parseInput(idSchema, id), 'member');
}

/** `organizations.list`: the organizations the actor may see, filtered by parent or partner. */
export async function listOrganizations(unit: Unit, input: unknown): Promise<Organization[]> {
  const filter = parseInput(listOrganizationsSchema, input);
  const repository = unit.tx.organizations;
  let visible: Organization[];
  if (actsAsPlatform(unit.facts)) {
    visible = await repository.list({});
  } else {
    const home = await repository.get(unit.facts.organizationId);
    const roots = home ? [home] : [];
    if (unit.facts.permissions.has(CUSTOMERS_MANAGE))
      roots.push(...(await repository.list({ partnerId: unit.facts.organizationId })));
    visible = [];
    const seen = new Set<string>();
    const queue = [...roots];
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (seen.has(next.id)) continue;
      seen.add(next.id);
      if (next.id === home?.id && !unit.facts.permissions.has(ORG_ADMIN)) {
        visible.push(next);
        continue;
      }
      visible.push(next);
      queue.push(...(await repository.list({ parentId: next.id })));
    }
  }
  return visible.filter(
    (organization) =>
      (filter.parentId === undefined || organization.parentId === filter.parentId) &&
      (filter.partnerId === undefined || organization.partnerId === filter.partnerId),
  );
}

/** `organizations.update`: name and profile by administrators; attributes by the operator only. */
export async function updateOrganization(unit: Unit, id: unknown, input: unknown): Promise<Organization> {
  const organizationId = parseInput(idSchema, id);
  const data = parseInput(updateOrganizationSchema, input);
  const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
  if (data.attributes !== undefined) assertOperator(unit);
  const updated: Organization = {
    ...organization,
    name: data.name ?? organization.name,
    profile: data.profile ?? organization.profile,
    attributes: data.attributes ?? organization.attributes,
    updatedAt: unit.now,
  };
  return saveOrganization(unit, organization, updated, 'organization.updated', ['name', 'profile', 'attributes']);
}

/** `organizations.setFeatures` (operator only). Grants stay; effective permissions follow. */
export async function setFeatures(unit: Unit, id: unknown, input: unknown): Promise<Organization> {
  const organization = await operatorOrganization(unit, id);
  const updated = { ...organization, features: parseInput(featuresSchema, input), updatedAt: unit.now };
  return saveOrganization(unit, organization, updated, 'organization.features.changed', ['features']);
}

/** `organizations.setAllowedRoles` (operator only): which standard roles the organization's admins may assign. */
export async function setAllowedRoles(unit: Unit, id: unknown, input: unknown): Promise<Organization> {
  const organization = await operatorOrganization(unit, id);
  const allowedRoles = parseInput(allowedRolesSchema, input);
  if (allowedRoles) assertKnownRoles(unit, allowedRoles);
  const updated = { ...organization, allowedRoles, updatedAt: unit.now };
  return saveOrganization(unit, organization, updated, 'organization.allowedRoles.changed', ['allowedRoles']);
}

/** `organizations.setContactPerson`: any user of the organization who is neither disabled nor erased. */
export async function setContactPerson(unit: Unit, id: unknown, userId: unknown): Promise<Organization> {
  const organization = await unit.organizationFor(parseInput(idSchema, id), 'administer', { forUpdate: true });
  const user = await unit.tx.users.get(parseInput(idSchema, userId));
  if (!user) throw notFound();
  enforce(checkContactCandidate(organization, user));
  const updated = { ...organization, contactUserId: user.id, updatedAt: unit.now };
  return saveOrganization(unit, organization, updated, 'organization.contact.changed', ['contactUserId']);
}

async function saveOrganization(
  unit: Unit,
  before: Organization,
  after: Organization,
  action: string,
  fields: readonly (keyof Organization & string)[],
): Promise<Organization> {
  const changes = changedFields(before, after, fields);
  if (Object.keys(changes).length === 0) return before;
  await guardAdmins(unit, before, { organization: after });
  await unit.tx.organizations.update(after);
  unit.record(action, { organizationId: after.id, targetId: after.id, changes });
  return after;
}

async function operatorOrganization(unit: Unit, id: unknown): Promise<Organization> {
  const chain = await unit.chain(parseInput(idSchema, id), { forUpdate: true });
  enforce(requireAccess(unit.access(chain), 'member'));
  assertOperator(unit);
  return chain[0] as Organization;
}

function assertOperator(unit: Unit): void {
  if (!actsAsPlatform(unit.facts)) throw new TenantryError('FORBIDDEN', 'Only the operator may do this');
}

function assertKnownRoles(unit: Unit, keys: readonly string[]): void {
  const unknown = keys.find((key) => !unit.context.standardRoles.roles.has(key));
  if (unknown !== undefined) {
    throw new TenantryError('ROLE_UNAVAILABLE', `Unknown standard role "${unknown}"`, { role: unknown });
  }
}
