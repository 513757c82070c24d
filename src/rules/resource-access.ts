import type { ResourceCatalog, ResourceType } from '../resources.js';
import type { Organization, ResourceAccess } from '../types.js';
import { type ActorFacts, actsAsPlatform } from './actor.js';
import type { OrganizationAccess } from './administration-scope.js';
import { allowed, type Decision, refuse } from './decision.js';

export type { ResourceAccess };

/** Whether the organization may have resources of this type now: the type is known and its feature, if any, enabled. */
export function isResourceTypeAvailable(
  type: ResourceType | undefined,
  organization: Pick<Organization, 'features'>,
): boolean {
  return type !== undefined && (type.feature === undefined || organization.features.includes(type.feature));
}

/** `RESOURCE_UNAVAILABLE` for a type the catalog does not know, or whose feature the organization lacks. */
export function checkResourceType(
  catalog: ResourceCatalog,
  typeKey: string,
  organization: Pick<Organization, 'features'>,
): Decision {
  if (isResourceTypeAvailable(catalog.types.get(typeKey), organization)) return allowed;
  return refuse('RESOURCE_UNAVAILABLE', `Resources of type "${typeKey}" are not available here`, { type: typeKey });
}

/**
 * What of a user's stored access is effective now: types the catalog no
 * longer knows, or whose feature the organization lost, are left out (their
 * grants stay stored, and count again if the feature comes back).
 */
export function effectiveResourceAccess(
  stored: ResourceAccess,
  catalog: ResourceCatalog,
  organization: Pick<Organization, 'features'>,
): ResourceAccess {
  let effective: Record<string, 'all' | readonly string[]> | null = null;
  for (const key of Object.keys(stored)) {
    if (isResourceTypeAvailable(catalog.types.get(key), organization)) continue;
    effective ??= { ...stored };
    delete effective[key];
  }
  return effective ?? stored;
}

/**
 * Whether the actor may change a user's access to a type, in the order the
 * API answers: another tenant's user `NOT_FOUND`; an unknown or unavailable
 * type `RESOURCE_UNAVAILABLE`; oneself `SELF_MODIFICATION`; then allowed for
 * the operator, whoever administers the user's organization, and a member of
 * it who holds the type's `managedBy` permission; `FORBIDDEN` for anyone else.
 */
export function checkResourceAccessChange(change: {
  actor: ActorFacts;
  /** How the actor stands towards the user's organization. */
  access: OrganizationAccess;
  targetUserId: string;
  catalog: ResourceCatalog;
  typeKey: string;
  organization: Pick<Organization, 'features'>;
}): Decision {
  const { actor, access, targetUserId, catalog, typeKey, organization } = change;
  if (access === 'none') return refuse('NOT_FOUND', 'Not found');
  const type = checkResourceType(catalog, typeKey, organization);
  if (!type.ok) return type;
  if (actor.type === 'user' && actor.userId === targetUserId) {
    return refuse('SELF_MODIFICATION', 'You cannot change your own access', { change: 'resources' });
  }
  if (access === 'administer' || actsAsPlatform(actor)) return allowed;
  const managedBy = catalog.types.get(typeKey)?.managedBy;
  if (managedBy !== undefined && actor.permissions.has(managedBy)) return allowed;
  return refuse('FORBIDDEN', 'You may not change access to these resources', { type: typeKey });
}

/**
 * Whether a member of an organization manages some resource type available
 * there (holds its `managedBy` permission): such a manager may read the
 * organization's users (to give them access), though they change nothing else.
 */
export function managesResources(
  actor: ActorFacts,
  access: OrganizationAccess,
  catalog: ResourceCatalog,
  organization: Pick<Organization, 'features'>,
): boolean {
  if (access !== 'member' || actor.type !== 'user') return false;
  for (const type of catalog.types.values()) {
    if (actor.permissions.has(type.managedBy) && isResourceTypeAvailable(type, organization)) return true;
  }
  return false;
}

/**
 * What `canAccess` asks of a subject: a `UserView` (its effective access),
 * the result of `validateSession`, or an access token's claims (`res`).
 */
export type ResourceSubject =
  | { effectiveResourceAccess: ResourceAccess }
  | { resourceAccess: ResourceAccess }
  | { res?: ResourceAccess | undefined };

/**
 * Lists asked once (a scan answered them) or made into a set (asked again):
 * a list read afresh for each request costs one scan, never the building of
 * a set it is asked once of; a list asked many times costs a set lookup.
 */
const idSets = new WeakMap<readonly string[], ReadonlySet<string> | 'scanned'>();

/** Lists this long or shorter are always scanned: a set would cost more than it saves. */
const SCANNED_LENGTH = 16;

function holds(ids: readonly string[], id: string): boolean {
  if (ids.length <= SCANNED_LENGTH) return ids.includes(id);
  const known = idSets.get(ids);
  if (known === undefined) {
    idSets.set(ids, 'scanned');
    return ids.includes(id);
  }
  if (known === 'scanned') {
    const set = new Set(ids);
    idSets.set(ids, set);
    return set.has(id);
  }
  return known.has(id);
}

/**
 * The host app's per-request question: may this subject open this resource?
 * True for every resource of a type the subject has `'all'` of, and for the
 * ids granted; false otherwise (an unknown type included). Access is only
 * what was granted: administering an organization gives none of its own.
 *
 * @example
 * ```ts
 * const session = await um.auth.validateSession(token);
 * if (!canAccess(session, 'instance', instanceId)) return new Response(null, { status: 404 });
 * ```
 */
export function canAccess(subject: ResourceSubject, type: string, resourceId: string): boolean {
  const access =
    'effectiveResourceAccess' in subject
      ? subject.effectiveResourceAccess
      : 'resourceAccess' in subject
        ? subject.resourceAccess
        : (subject.res ?? {});
  const granted = Object.hasOwn(access, type) ? access[type] : undefined;
  if (granted === undefined) return false;
  return granted === 'all' || holds(granted, resourceId);
}
