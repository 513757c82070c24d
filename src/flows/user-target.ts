import { TenantryError } from '../errors.js';
import { requireAccess, userReadAccess } from '../rules/administration-scope.js';
import { checkNotSelf, type GuardedChange } from '../rules/self-modification.js';
import { isErased } from '../rules/user-conditions.js';
import { idSchema } from '../schemas/common.js';
import { parseInput } from '../schemas/parse.js';
import type { Organization, User } from '../types.js';
import { enforce, notFound, type Unit } from './unit.js';

/** A user the actor may act on, with their organization. */
export interface Target {
  user: User;
  organization: Organization;
}

/** Loads a user the actor may read: themselves, or a user of an organization they administer. */
export async function readableUser(unit: Unit, id: unknown): Promise<Target> {
  const user = await unit.tx.users.get(parseInput(idSchema, id));
  if (!user) throw notFound();
  const chain = await unit.chain(user.organizationId);
  enforce(userReadAccess(unit.facts, user.id, unit.access(chain)));
  return { user, organization: chain[0] as Organization };
}

/**
 * Loads a user the actor is about to change, locking their organization (it
 * guards the last-admin invariant). Checks in order: visible (`NOT_FOUND`),
 * not themselves for guarded changes (`SELF_MODIFICATION`), administered
 * (`FORBIDDEN`), not erased (`CONFLICT`).
 */
export async function changeableUser(unit: Unit, id: unknown, guarded: GuardedChange | 'profile'): Promise<Target> {
  const userId = parseInput(idSchema, id);
  const found = await unit.tx.users.get(userId);
  if (!found) throw notFound();
  const chain = await unit.chain(found.organizationId, { forUpdate: true });
  const access = unit.access(chain);
  const self = unit.facts.type === 'user' && unit.facts.userId === found.id;
  if (!self) enforce(requireAccess(access, 'member'));
  if (guarded !== 'profile') enforce(checkNotSelf(unit.facts, found.id, guarded));
  if (!self) enforce(requireAccess(access, 'administer'));
  // Re-read after the lock: a concurrent change may have committed meanwhile.
  const user = (await unit.tx.users.get(userId)) as User;
  if (isErased(user)) throw new TenantryError('CONFLICT', 'The user has been erased');
  return { user, organization: chain[0] as Organization };
}
