import { TenantryError } from '../errors.js';
import { actsAsPlatform } from '../rules/actor.js';
import { requireAccess } from '../rules/administration-scope.js';
import type { Organization } from '../types.js';
import { changedFields, guardAdmins } from './admin-guard.js';
import { enforce, type Unit } from './unit.js';

/**
 * Writes a changed organization with its audit event, after the last-admin
 * guard (a feature taken away may take `org.admin` with it); an unchanged
 * organization is returned as it was.
 */
export async function saveOrganization(
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
  unit.organizationsChanged();
  unit.record(action, { organizationId: after.id, targetId: after.id, changes });
  return after;
}

/** Loads and locks an organization the actor belongs to or administers, for a change only the operator makes. */
export async function operatorOrganization(unit: Unit, id: string): Promise<Organization> {
  const chain = await unit.chain(id, { forUpdate: true });
  enforce(requireAccess(unit.access(chain), 'member'));
  assertOperator(unit);
  return chain[0] as Organization;
}

/** Refuses with `FORBIDDEN` anyone but the operator (and the system). */
export function assertOperator(unit: Unit, what = 'Only the operator may do this'): void {
  if (!actsAsPlatform(unit.facts)) throw new TenantryError('FORBIDDEN', what);
}

/** Refuses a standard role the catalog does not know. */
export function assertKnownRoles(unit: Unit, keys: readonly string[]): void {
  const unknown = keys.find((key) => !unit.context.standardRoles.roles.has(key));
  if (unknown !== undefined) {
    throw new TenantryError('ROLE_UNAVAILABLE', `Unknown standard role "${unknown}"`, { role: unknown });
  }
}
