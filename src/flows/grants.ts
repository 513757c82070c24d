import { checkAccessChange } from '../rules/access-change.js';
import type { Organization } from '../types.js';
import { enforce, type Unit } from './unit.js';

/** Roles and permissions, as granted. */
type Grants = { permissions: readonly string[]; roles: readonly string[] };

/** A change of a user's roles and permissions must be the actor's to make, in this organization. */
export async function checkGrantChange(
  unit: Unit,
  organization: Organization,
  before: Grants,
  after: Grants,
): Promise<void> {
  enforce(
    checkAccessChange({
      actor: unit.facts,
      organization,
      catalog: unit.context.catalog,
      roles: await unit.rolesOf(organization),
      before,
      after,
    }),
  );
}

/** The roles and permissions a new user is to start with must be the actor's to give, in this organization. */
export function checkNewUserGrants(unit: Unit, organization: Organization, grants: Grants): Promise<void> {
  return checkGrantChange(unit, organization, { permissions: [], roles: [] }, grants);
}
