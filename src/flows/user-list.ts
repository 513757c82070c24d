import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import type { z } from 'zod';
import { TenantryError } from '../errors.js';
import type { UserKeyset, UserQuery } from '../ports/storage.js';
import { isPermissionAvailable } from '../rules/availability.js';
import { rolesCarrying } from '../rules/organization-roles.js';
import { isResourceTypeAvailable } from '../rules/resource-access.js';
import type { listUsersSchema } from '../schemas/users.js';
import type { UserView } from '../types.js';
import { keysetOf, normalizeSearch } from '../user-order.js';
import type { Unit } from './unit.js';
import { readableOrganization } from './user-target.js';

/**
 * `users.list`: one page of an organization's users, filtered and sorted by
 * the storage's indexes. A permission filter matches effective permissions:
 * the storage narrows to holders of the grant, the rules confirm.
 */
export async function listUsers(
  unit: Unit,
  input: z.output<typeof listUsersSchema>,
): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const organization = await readableOrganization(unit, filters.organizationId);
  const scope = encodeBase64urlNoPadding(sha256(new TextEncoder().encode(JSON.stringify(filters))));
  const empty = { items: [], nextCursor: null };

  let grants: UserQuery['grants'];
  const wanted = filters.permissions;
  if (wanted) {
    const available = wanted.filter((key) => {
      const permission = unit.context.catalog.permissions.get(key);
      return permission !== undefined && isPermissionAvailable(permission, organization);
    });
    if (available.length === 0) return empty;
    grants = { permissions: available, roles: rolesCarrying(await unit.rolesOf(organization), available) };
  }

  // Access to a resource of a type the organization cannot have now is nobody's.
  if (
    filters.resource &&
    !isResourceTypeAvailable(unit.context.resources.types.get(filters.resource.type), organization)
  ) {
    return empty;
  }

  const query: UserQuery = {
    organizationId: organization.id,
    search: normalizeSearch(filters.search),
    statuses: filters.status,
    roles: filters.roles,
    grants,
    createdAfter: filters.createdAfter,
    createdBefore: filters.createdBefore,
    resource: filters.resource,
    sort: filters.sort,
    order: filters.order,
    after: cursor === undefined ? undefined : parseKeyset(unit.context.cursors.decode(scope, cursor)),
    limit: limit + 1,
  };

  const items: UserView[] = [];
  for (;;) {
    const batch = await unit.tx.users.query(query);
    await unit.resourceAccessOf(batch);
    for (const user of batch) {
      const view = await unit.view(user, organization);
      if (wanted && !view.effectivePermissions.some((key) => wanted.includes(key))) continue;
      items.push(view);
      if (items.length > limit) break;
    }
    const last = batch.at(-1);
    if (items.length > limit || batch.length < query.limit || !last) break;
    query.after = keysetOf(last, filters.sort);
  }

  const page = items.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    items.length > limit && last ? unit.context.cursors.encode(scope, keysetOf(last, filters.sort)) : null;
  return { items: page, nextCursor };
}

function parseKeyset(position: unknown): UserKeyset {
  const candidate = position as Partial<UserKeyset> | null;
  if (
    candidate &&
    typeof candidate.id === 'string' &&
    Array.isArray(candidate.values) &&
    candidate.values.every((value) => typeof value === 'string' || typeof value === 'number')
  ) {
    return { values: candidate.values, id: candidate.id };
  }
  throw new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor');
}
