import { TenantryError } from '../errors.js';
import { organizationAccess, requireAccess, userReadAccess } from '../rules/administration-scope.js';
import { managesResources } from '../rules/resource-access.js';
import { checkNotSelf, type GuardedChange } from '../rules/self-modification.js';
import { isErased } from '../rules/user-conditions.js';
import type { Organization, User } from '../types.js';
import { guardAdmins } from './admin-guard.js';
import { enforce, notFound, type Unit } from './unit.js';

/** A user the actor may act on, with their organization. */
export interface Target {
  user: User;
  organization: Organization;
}

/** Loads a user the actor may read: themselves, a user of an organization they administer, or whose resources they manage. */
export async function readableUser(unit: Unit, id: string): Promise<Target> {
  const user = await unit.tx.users.get(id);
  if (!user) throw notFound();
  const chain = await unit.chain(user.organizationId);
  const organization = chain[0] as Organization;
  const access = unit.access(chain);
  const manages = managesResources(unit.facts, access, unit.context.resources, organization);
  enforce(userReadAccess(unit.facts, user.id, access, manages));
  return { user, organization };
}

/**
 * Loads a user for a read only they and whoever administers them may make
 * (their sessions, their second factors): a resource manager, who may read
 * the organization's users, is `FORBIDDEN` here.
 */
export async function ownOrAdministeredUser(unit: Unit, id: string): Promise<Target> {
  const target = await readableUser(unit, id);
  const self = unit.facts.type === 'user' && unit.facts.userId === target.user.id;
  if (!self && unit.access(await unit.chain(target.organization.id)) !== 'administer') {
    throw new TenantryError('FORBIDDEN', 'Only the user and their administrators see this');
  }
  return target;
}

/** A user about to change, the organization, and the user as the change leaves them. */
export interface ProposedChange extends Target {
  updated: User;
}

/**
 * Loads a user the actor is about to change, locking their organization (it
 * guards the last-admin invariant). Checks in order: visible (`NOT_FOUND`),
 * not themselves for guarded changes (`SELF_MODIFICATION`), administered
 * (`FORBIDDEN`), not erased (`CONFLICT`).
 */
export async function changeableUser(unit: Unit, id: string, guarded: GuardedChange | 'profile'): Promise<Target> {
  const { user, organization } = await lockTarget(unit, id, guarded, null);
  return { user, organization };
}

/**
 * Like {@link changeableUser} for a change that may cost the organization an
 * admin (`propose`, which must not throw, turns the locked user into the
 * changed one). For an actor who administered the organization when the call
 * began, the last-admin guard runs before its standing is checked again, so
 * of two admins demoting or disabling each other at once the one who waited
 * gets `LAST_ADMIN` although it has lost its rights meanwhile. The order is
 * NOT_FOUND, SELF_MODIFICATION, LAST_ADMIN, FORBIDDEN, CONFLICT; the
 * operation must be `guarded`. Anyone else gets FORBIDDEN first.
 */
export async function changedUser(
  unit: Unit,
  id: string,
  guarded: GuardedChange,
  propose: (user: User) => User,
): Promise<ProposedChange> {
  return lockTarget(unit, id, guarded, propose) as Promise<ProposedChange>;
}

async function lockTarget(
  unit: Unit,
  userId: string,
  guarded: GuardedChange | 'profile',
  propose: ((user: User) => User) | null,
): Promise<Target & { updated: User | undefined }> {
  const found = await unit.tx.users.get(userId);
  if (!found) throw notFound();
  const chain = await unit.chain(found.organizationId, { forUpdate: true, deferRefusal: true });
  const organization = chain[0] as Organization;
  const self = unit.facts.type === 'user' && unit.facts.userId === found.id;
  // Whether the actor administered the organization when the call began, before any lock was awaited.
  const administered = organizationAccess(unit.startFacts, chain) === 'administer';
  if (!self && !administered) enforce(requireAccess(unit.access(chain), 'member'));
  if (guarded !== 'profile') enforce(checkNotSelf(unit.facts, found.id, guarded));
  // Re-read after the lock: a concurrent change may have committed meanwhile.
  const user = (await unit.lockUser(userId)) as User;
  const updated = propose ? propose(user) : undefined;
  if (updated && administered) await guardAdmins(unit, organization, { user: updated });
  if (unit.actorRefusal) throw unit.actorRefusal;
  if (!self && unit.access(chain) !== 'administer') {
    throw new TenantryError('FORBIDDEN', 'You may not administer this organization');
  }
  if (isErased(user)) throw new TenantryError('CONFLICT', 'The user has been erased');
  return { user, organization, updated };
}

/**
 * Loads an organization whose users the actor may list: one they administer,
 * or their own when they manage some type of its resources.
 */
export async function readableOrganization(unit: Unit, organizationId: string): Promise<Organization> {
  const chain = await unit.chain(organizationId);
  const organization = chain[0] as Organization;
  const access = unit.access(chain);
  if (!managesResources(unit.facts, access, unit.context.resources, organization)) {
    enforce(requireAccess(access, 'administer'));
  }
  return organization;
}
