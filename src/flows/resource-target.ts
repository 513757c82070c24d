import { TenantryError } from '../errors.js';
import { checkResourceAccessChange } from '../rules/resource-access.js';
import type { Organization, ResourceAccess, User } from '../types.js';
import { enforce, notFound, type Unit } from './unit.js';

/** A user whose access to one type the actor may change, locked for the change, with their stored access. */
export interface ResourceTarget {
  user: User;
  organization: Organization;
  stored: ResourceAccess;
}

/**
 * Loads a user whose access to `type` the actor is about to change, locking
 * their row (concurrent changes of their access queue): `NOT_FOUND` for
 * another tenant's, `RESOURCE_UNAVAILABLE` for a type the organization cannot
 * have, `SELF_MODIFICATION` for oneself, `FORBIDDEN` for anyone who neither
 * administers the organization nor manages the type there, `CONFLICT` for an
 * erased user.
 */
export async function resourceTarget(unit: Unit, userId: string, type: string): Promise<ResourceTarget> {
  const user = await unit.tx.users.get(userId, { forUpdate: true });
  if (!user) throw notFound();
  const chain = await unit.chain(user.organizationId);
  const organization = chain[0] as Organization;
  enforce(
    checkResourceAccessChange({
      actor: unit.facts,
      access: unit.access(chain),
      targetUserId: user.id,
      catalog: unit.context.resources,
      typeKey: type,
      organization,
    }),
  );
  if (user.erasedAt !== null) throw new TenantryError('CONFLICT', 'The user has been erased');
  const stored = (await unit.tx.resources.forUsers([user.id])).get(user.id) ?? {};
  return { user, organization, stored };
}

/** Records a change of a user's access to one type (`user.resources.changed`), before and after. */
export function recordResourceChange(
  unit: Unit,
  target: ResourceTarget,
  type: string,
  after: 'all' | readonly string[] | undefined,
): void {
  const before = target.stored[type];
  if (JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return;
  unit.accessChanged(target.user.id);
  unit.record('user.resources.changed', {
    organizationId: target.organization.id,
    targetId: target.user.id,
    changes: { [`resources.${type}`]: { before: before ?? null, after: after ?? null } },
  });
}
