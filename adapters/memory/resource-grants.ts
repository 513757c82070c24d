import type { ResourceAccess, ResourceGrant } from '../../src/adapter-kit/index.js';
import { mergedIds, SortedIds } from './sorted-ids.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What one user holds of one type: every resource of it, or these ids. */
interface HeldType {
  organizationId: string;
  every: boolean;
  ids: SortedIds;
}

/** Who holds what of one type in one organization: every resource of it, or each id. */
interface TypeHolders {
  every: SortedIds;
  byResource: Map<string, SortedIds>;
}

/** The users with access to one resource, as a user listing asks: how many, whether one does, and who. */
export interface ResourceHolders {
  readonly size: number;
  has(userId: string): boolean;
  /** The holders' ids in code-point order, each once. */
  ids(): Iterable<string>;
}

/**
 * The memory storage's resource grants, in two indexes kept in step: a
 * user's grants by type (a user's access, in one lookup), and each
 * organization's holders by type and resource id, in user order (a page of
 * holders, a binary search and a walk). Only {@link insert} and
 * {@link delete} change them, so a transaction undoes a write with the other.
 */
export class ResourceGrantTables {
  readonly #byUser = new Map<string, Map<string, HeldType>>();
  readonly #byOrganization = new Map<string, Map<string, TypeHolders>>();

  /** Whether the user holds exactly this grant. */
  holds(grant: Omit<ResourceGrant, 'organizationId'>): boolean {
    const held = this.#byUser.get(grant.userId)?.get(grant.type);
    if (!held) return false;
    return grant.resourceId === null ? held.every : held.ids.has(grant.resourceId);
  }

  /** Stores a grant; false when it was stored already. */
  insert(grant: ResourceGrant): boolean {
    const { organizationId, userId, type, resourceId } = grant;
    let types = this.#byUser.get(userId);
    if (!types) {
      types = new Map();
      this.#byUser.set(userId, types);
    }
    let held = types.get(type);
    if (!held) {
      held = { organizationId, every: false, ids: new SortedIds() };
      types.set(type, held);
    }
    if (resourceId === null) {
      if (held.every) return false;
      held.every = true;
    } else if (!held.ids.add(resourceId)) return false;
    const holders = this.#holdersOfType(organizationId, type, true) as TypeHolders;
    if (resourceId === null) holders.every.add(userId);
    else {
      let ids = holders.byResource.get(resourceId);
      if (!ids) {
        ids = new SortedIds();
        holders.byResource.set(resourceId, ids);
      }
      ids.add(userId);
    }
    return true;
  }

  /** Removes a grant; the grant as it was stored (with its organization), or undefined when it was not. */
  delete(grant: Omit<ResourceGrant, 'organizationId'>): ResourceGrant | undefined {
    const { userId, type, resourceId } = grant;
    const types = this.#byUser.get(userId);
    const held = types?.get(type);
    if (!types || !held) return undefined;
    if (resourceId === null) {
      if (!held.every) return undefined;
      held.every = false;
    } else if (!held.ids.delete(resourceId)) return undefined;
    if (!held.every && held.ids.size === 0) types.delete(type);
    if (types.size === 0) this.#byUser.delete(userId);

    const holders = this.#holdersOfType(held.organizationId, type, false) as TypeHolders;
    if (resourceId === null) holders.every.delete(userId);
    else {
      const ids = holders.byResource.get(resourceId) as SortedIds;
      ids.delete(userId);
      if (ids.size === 0) holders.byResource.delete(resourceId);
    }
    if (holders.every.size === 0 && holders.byResource.size === 0) {
      const types = this.#byOrganization.get(held.organizationId) as Map<string, TypeHolders>;
      types.delete(type);
      if (types.size === 0) this.#byOrganization.delete(held.organizationId);
    }
    return { organizationId: held.organizationId, userId, type, resourceId };
  }

  /** Every grant of the user, of one type or of all. */
  grantsOf(userId: string, type?: string): ResourceGrant[] {
    const grants: ResourceGrant[] = [];
    for (const [heldType, held] of this.#byUser.get(userId) ?? []) {
      if (type !== undefined && heldType !== type) continue;
      const grant = { organizationId: held.organizationId, userId, type: heldType };
      if (held.every) grants.push({ ...grant, resourceId: null });
      for (const resourceId of held.ids.after()) grants.push({ ...grant, resourceId });
    }
    return grants;
  }

  /** The user's access, as copies: `'all'` of a type, or its ids in code-point order; undefined without any. */
  accessOf(userId: string): ResourceAccess | undefined {
    const types = this.#byUser.get(userId);
    if (!types) return undefined;
    // Through entries, so a type named like an `Object.prototype` member is an own key like any other.
    return Object.fromEntries([...types].map(([type, held]) => [type, held.every ? 'all' : held.ids.values()]));
  }

  /** The users holding this resource id itself (not every resource of its type), in user order. */
  idHolders(organizationId: string, type: string, resourceId: string): string[] {
    return this.#holdersOfType(organizationId, type, false)?.byResource.get(resourceId)?.values() ?? [];
  }

  /** The users with access to one resource: its id, or every resource of its type; undefined for none. */
  holdersOf(organizationId: string, type: string, resourceId: string): ResourceHolders | undefined {
    const holders = this.#holdersOfType(organizationId, type, false);
    const byId = holders?.byResource.get(resourceId);
    if (!holders || (holders.every.size === 0 && !byId)) return undefined;
    const { every } = holders;
    return {
      size: every.size + (byId?.size ?? 0),
      has: (userId) => every.has(userId) || byId?.has(userId) === true,
      ids: () => mergedIds(every, byId),
    };
  }

  /** A page of the holders of one resource, after `after` in code-point order. */
  holdersPage(organizationId: string, type: string, resourceId: string, after: string | undefined, limit: number) {
    const holders = this.#holdersOfType(organizationId, type, false);
    const page: string[] = [];
    if (!holders || limit <= 0) return page;
    for (const userId of mergedIds(holders.every, holders.byResource.get(resourceId), after)) {
      page.push(userId);
      if (page.length >= limit) break;
    }
    return page;
  }

  /** Both indexes as plain data, sorted (so the same grants give the same snapshot), for a snapshot of the storage. */
  snapshot(): unknown {
    const grants = [...this.#byUser.keys()].flatMap((userId) => this.grantsOf(userId));
    const holders = [...this.#byOrganization].flatMap(([organizationId, types]) =>
      [...types].map(([type, { every, byResource }]) => ({
        organizationId,
        type,
        every: every.values(),
        byResource: [...byResource]
          .map(([resourceId, ids]) => ({ resourceId, holders: ids.values() }))
          .sort((a, b) => byText(a.resourceId, b.resourceId)),
      })),
    );
    const grantKey = (grant: ResourceGrant) => `${grant.userId}\u0000${grant.type}\u0000${grant.resourceId ?? ''}`;
    return {
      grants: grants.sort((a, b) => byText(grantKey(a), grantKey(b))),
      holders: holders.sort((a, b) =>
        byText(`${a.organizationId}\u0000${a.type}`, `${b.organizationId}\u0000${b.type}`),
      ),
    };
  }

  #holdersOfType(organizationId: string, type: string, create: boolean): TypeHolders | undefined {
    let types = this.#byOrganization.get(organizationId);
    if (!types) {
      if (!create) return undefined;
      types = new Map();
      this.#byOrganization.set(organizationId, types);
    }
    let holders = types.get(type);
    if (!holders && create) {
      holders = { every: new SortedIds(), byResource: new Map() };
      types.set(type, holders);
    }
    return holders;
  }
}
