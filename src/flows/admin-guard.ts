import { ORG_ADMIN } from '../built-in-permissions.js';
import { successorContactPerson } from '../rules/contact-person.js';
import { effectivePermissions } from '../rules/effective-permissions.js';
import { checkKeepsAdmin, countsAsAdmin } from '../rules/last-admin.js';
import { rolesCarrying } from '../rules/organization-roles.js';
import type { Organization, User } from '../types.js';
import { enforce, type Unit } from './unit.js';

async function adminCandidates(unit: Unit, organization: Organization): Promise<User[]> {
  const roles = await unit.rolesOf(organization);
  return unit.tx.users.withAnyGrant(organization.id, {
    permissions: [ORG_ADMIN],
    roles: rolesCarrying(roles, [ORG_ADMIN]),
  });
}

async function admins(unit: Unit, users: readonly User[], organization: Organization): Promise<User[]> {
  const roles = await unit.rolesOf(organization);
  return users.filter((user) =>
    countsAsAdmin(user, effectivePermissions(user, organization, unit.context.catalog, roles)),
  );
}

/**
 * Invariant 1, enforced inside the transaction: applies the proposed change
 * (a changed user and/or a changed organization) to the organization's admin
 * candidates and refuses with `LAST_ADMIN` if it leaves none. The caller has
 * locked the organization row, so concurrent changes queue behind it.
 */
export async function guardAdmins(
  unit: Unit,
  organization: Organization,
  change: { user?: User; organization?: Organization },
): Promise<void> {
  const candidates = await adminCandidates(unit, organization);
  const before = await admins(unit, candidates, organization);
  const changed = change.user;
  const after = changed ? [...candidates.filter((user) => user.id !== changed.id), changed] : candidates;
  const adminsAfter = await admins(unit, after, change.organization ?? organization);
  enforce(checkKeepsAdmin(before.length, adminsAfter.length));
}

/**
 * Invariant 5: when the contact person leaves (disabled or erased), hands the
 * role to the longest-standing admin, else the longest-standing active user,
 * else clears it; records the change. Returns the organization as it is now.
 */
export async function reassignContactPerson(
  unit: Unit,
  organization: Organization,
  leaving: User,
): Promise<Organization> {
  if (organization.contactUserId !== leaving.id) return organization;
  const byAge = (a: User, b: User) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
  const adminUsers = (await admins(unit, await adminCandidates(unit, organization), organization)).sort(byAge);
  const activeUsers = await unit.tx.users.query({
    organizationId: organization.id,
    statuses: ['active'],
    sort: 'createdAt',
    order: 'asc',
    limit: 3,
  });
  const successor = successorContactPerson(organization, leaving.id, [...adminUsers, ...activeUsers]);
  if (successor === undefined) return organization;
  const updated: Organization = { ...organization, contactUserId: successor, updatedAt: unit.now };
  await unit.tx.organizations.update(updated);
  unit.organizationsChanged();
  unit.record('organization.contact.changed', {
    organizationId: organization.id,
    targetId: organization.id,
    changes: { contactUserId: { before: leaving.id, after: successor } },
    metadata: { reason: 'contact person left' },
  });
  return updated;
}

/** Before/after of the fields that differ, for audit events. */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of fields) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes[field] = { before: before[field] ?? null, after: after[field] ?? null };
    }
  }
  return changes;
}

/** Whether the user administers their own organization (`org.admin` there, directly or through a role). */
export async function administersOwnOrganization(unit: Unit, user: User, organization: Organization): Promise<boolean> {
  return (await unit.effective(user, organization)).includes(ORG_ADMIN);
}
