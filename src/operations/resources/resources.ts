import { z } from 'zod';
import type { Page } from '../../actor-api.js';
import { TenantryError } from '../../errors.js';
import { enforce } from '../../flows/unit.js';
import { readableOrganization } from '../../flows/user-target.js';
import { actsAsPlatform } from '../../rules/actor.js';
import { requireAccess } from '../../rules/administration-scope.js';
import { checkResourceType } from '../../rules/resource-access.js';
import { forgetResourceSchema, resourceHoldersSchema } from '../../schemas/users.js';
import type { UserView } from '../../types.js';
import { defineOperation } from '../operation.js';

/**
 * `resources.holders`: the users of an organization with effective access to
 * one resource (its id granted, or every resource of its type), a page at a
 * time, ordered by id; for whoever administers the organization or manages
 * resources there.
 */
export const resourceHolders = defineOperation({
  name: 'resources.holders',
  input: z.tuple([resourceHoldersSchema]),
  async run(unit, [{ organizationId, type, resourceId, limit, cursor }]): Promise<Page<UserView>> {
    const organization = await readableOrganization(unit, organizationId);
    enforce(checkResourceType(unit.context.resources, type, organization));
    const scope = `holders:${JSON.stringify([organization.id, type, resourceId])}`;
    const after = cursor === undefined ? undefined : afterUser(unit.context.cursors.decode(scope, cursor));
    const ids = await unit.tx.resources.holders({
      organizationId: organization.id,
      type,
      resourceId,
      after,
      limit: limit + 1,
    });
    const page = ids.slice(0, limit);
    const byId = new Map((await unit.tx.users.getMany(page)).map((user) => [user.id, user]));
    const users = page.flatMap((id) => {
      const user = byId.get(id);
      return user && user.erasedAt === null ? [user] : [];
    });
    const last = page.at(-1);
    return {
      items: await unit.views(users, organization),
      nextCursor: ids.length > limit && last ? unit.context.cursors.encode(scope, { after: last }) : null,
    };
  },
});

function afterUser(position: unknown): string {
  const after = (position as { after?: unknown } | null)?.after;
  if (typeof after === 'string') return after;
  throw new TenantryError('VALIDATION_FAILED', 'Invalid or expired cursor');
}

/**
 * `resources.forget`: the host app deleted a resource; every grant of it in
 * the organization goes. By whoever administers the organization, or manages
 * the type there.
 */
export const forgetResource = defineOperation({
  name: 'resources.forget',
  input: z.tuple([forgetResourceSchema]),
  async run(unit, [{ organizationId, type, resourceId }]) {
    const chain = await unit.chain(organizationId);
    const organization = chain[0];
    const access = unit.access(chain);
    const managedBy = unit.context.resources.types.get(type)?.managedBy;
    const manages =
      access === 'member' &&
      managedBy !== undefined &&
      !actsAsPlatform(unit.facts) &&
      unit.facts.permissions.has(managedBy);
    if (!manages) enforce(requireAccess(access, 'administer'));
    if (!organization) throw new TenantryError('NOT_FOUND', 'Not found');
    // A type whose feature went may still be cleaned up: its grants stay stored until forgotten.
    if (!unit.context.resources.types.has(type)) {
      throw new TenantryError('RESOURCE_UNAVAILABLE', `Resources of type "${type}" are not available here`, { type });
    }
    const revoked = await unit.tx.resources.forget({ organizationId: organization.id, type, resourceId });
    if (revoked > 0) {
      unit.record('resource.forgotten', {
        organizationId: organization.id,
        targetId: null,
        metadata: { type, resourceId, revoked },
      });
    }
    return { revoked };
  },
});
