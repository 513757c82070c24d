import type { ResourceAccess, ResourceGrant, ResourceGrantRepository } from '../../src/adapter-kit/index.js';
import type { ResourceGrantTables } from './resource-grants.js';

/** The transaction's bookkeeping: a check that it is still open, and the steps that undo its writes. */
interface Journal {
  live(): void;
  undo: (() => void)[];
}

/**
 * Resource grants over the memory tables, inside one transaction. Every
 * write is a stored grant inserted or deleted, journaled with its inverse,
 * so a failed transaction leaves both indexes as they were.
 */
export function resourceGrantRepository(grants: ResourceGrantTables, { live, undo }: Journal): ResourceGrantRepository {
  const insert = (grant: ResourceGrant) => {
    if (grants.insert(grant)) undo.push(() => grants.delete(grant));
  };
  const drop = (grant: Omit<ResourceGrant, 'organizationId'>) => {
    const removed = grants.delete(grant);
    if (removed) undo.push(() => grants.insert(removed));
    return removed !== undefined;
  };
  const dropAll = (list: readonly Omit<ResourceGrant, 'organizationId'>[]) => {
    let dropped = 0;
    for (const grant of list) if (drop(grant)) dropped += 1;
    return dropped;
  };

  return {
    async forUsers(userIds) {
      live();
      const access = new Map<string, ResourceAccess>();
      for (const userId of userIds) {
        const held = grants.accessOf(userId);
        if (held) access.set(userId, held);
      }
      return access;
    },
    async replace({ organizationId, userId, type }, access) {
      live();
      const kept = new Set<string | null>(access === 'all' ? [null] : access === 'none' ? [] : access);
      for (const grant of grants.grantsOf(userId, type)) if (!kept.has(grant.resourceId)) drop(grant);
      for (const resourceId of kept) insert({ organizationId, userId, type, resourceId });
    },
    async add(grant) {
      live();
      if (grants.holds({ ...grant, resourceId: null })) return false;
      if (grant.resourceId === null) {
        // Every resource of the type covers its ids: they go, so that one grant says what the user holds.
        dropAll(grants.grantsOf(grant.userId, grant.type));
      } else if (grants.holds(grant)) return false;
      insert(grant);
      return true;
    },
    async remove(grant) {
      live();
      return drop(grant);
    },
    async holders({ organizationId, type, resourceId, after, limit }) {
      live();
      return grants.holdersPage(organizationId, type, resourceId, after, limit);
    },
    async forget({ organizationId, type, resourceId }) {
      live();
      const holders = grants.idHolders(organizationId, type, resourceId);
      return dropAll(holders.map((userId) => ({ userId, type, resourceId })));
    },
    async removeForUser(userId) {
      live();
      dropAll(grants.grantsOf(userId));
    },
  };
}
