import { CUSTOMERS_MANAGE, ORG_ADMIN } from '../built-in-permissions.js';
import type { Organization } from '../types.js';
import { type ActorFacts, actsAsPlatform } from './actor.js';
import { allowed, type Decision, refuse } from './decision.js';
import { checkNotSelf, type GuardedChange } from './self-modification.js';

/** How an actor stands towards an organization. */
export type OrganizationAccess = 'administer' | 'member' | 'none';

/**
 * How the actor stands towards the first organization of `chain` (the
 * organization, then its ancestors up to the root):
 * - the operator and system jobs administer everything;
 * - a user with effective `org.admin` administers their organization and its sub-organizations;
 * - a user with effective `customers.manage` in partner P administers every
 *   organization served by P (and their sub-organizations), but not P itself;
 * - any other user is a `member` of their own organization and has no access elsewhere.
 */
export function organizationAccess(actor: ActorFacts, chain: readonly Organization[]): OrganizationAccess {
  if (actsAsPlatform(actor)) return 'administer';
  const target = chain[0];
  if (!target) return 'none';
  const home = actor.organizationId;
  if (actor.permissions.has(ORG_ADMIN) && chain.some((organization) => organization.id === home)) return 'administer';
  if (
    actor.permissions.has(CUSTOMERS_MANAGE) &&
    target.id !== home &&
    chain.some((organization) => organization.partnerId === home)
  ) {
    return 'administer';
  }
  return target.id === home ? 'member' : 'none';
}

/**
 * Turns an access level into a decision: cross-tenant actors get `NOT_FOUND`
 * (tenants cannot probe each other), same-tenant users without the right get `FORBIDDEN`.
 */
export function requireAccess(access: OrganizationAccess, needed: 'administer' | 'member'): Decision {
  if (access === 'none') return refuse('NOT_FOUND', 'Not found');
  if (needed === 'administer' && access !== 'administer') {
    return refuse('FORBIDDEN', 'You may not administer this organization');
  }
  return allowed;
}

/**
 * Whether the actor may read a user: themselves always; others of an
 * organization they administer, or whose resources of some type they manage
 * (`managesResources`: a data estate admin reads their colleagues to give
 * them access). Same-tenant members get `FORBIDDEN`, everyone else `NOT_FOUND`.
 */
export function userReadAccess(
  actor: ActorFacts,
  targetUserId: string,
  access: OrganizationAccess,
  managesResources = false,
): Decision {
  if (actor.type === 'user' && actor.userId === targetUserId) return allowed;
  if (access === 'member' && managesResources) return allowed;
  return requireAccess(access, 'administer');
}

/**
 * Whether the actor may make a change to a user of the first organization of
 * `chain`, in the order the API answers: other tenants get `NOT_FOUND`, a
 * guarded change to oneself `SELF_MODIFICATION`, a member without the right to
 * administer `FORBIDDEN`. Profile changes to oneself are allowed. (What the
 * change grants, and the last-admin invariant, are checked on the change itself.)
 *
 * @example
 * ```ts
 * const showDisable = checkUserChange(actorFacts, user.id, [organization, ...ancestors], 'status').ok;
 * ```
 */
export function checkUserChange(
  actor: ActorFacts,
  targetUserId: string,
  chain: readonly Organization[],
  change: GuardedChange | 'profile',
): Decision {
  const self = actor.type === 'user' && actor.userId === targetUserId;
  if (self) return change === 'profile' ? allowed : checkNotSelf(actor, targetUserId, change);
  return requireAccess(organizationAccess(actor, chain), 'administer');
}
