import { z } from 'zod';
import { recordResourceChange, resourceTarget } from '../../flows/resource-target.js';
import { idSchema } from '../../schemas/common.js';
import { resourceAccessSchema, resourceIdSchema, resourceTypeSchema } from '../../schemas/users.js';
import { defineOperation } from '../operation.js';

/** The ids in a stable order, without repeats. */
const sortedIds = (ids: readonly string[]) => [...new Set(ids)].sort();

/**
 * `users.setResourceAccess`: replaces the user's access to one type: every
 * resource (`'all'`), none, or these ids. By whoever administers the user's
 * organization, or a member of it who holds the type's `managedBy` permission.
 */
export const setResourceAccess = defineOperation({
  name: 'users.setResourceAccess',
  input: z.tuple([idSchema, resourceTypeSchema, resourceAccessSchema]),
  async run(unit, [userId, type, access]) {
    const target = await resourceTarget(unit, userId, type);
    const after = access === 'all' ? 'all' : access === 'none' ? undefined : sortedIds(access.ids);
    const owner = { organizationId: target.organization.id, userId: target.user.id, type };
    await unit.tx.resources.replace(owner, after === undefined ? 'none' : after);
    recordResourceChange(unit, target, type, after?.length === 0 ? undefined : after);
    return unit.view(target.user, target.organization);
  },
});

/** `users.grantResource`: adds one resource to the user's access to its type (nothing when they hold all of it). */
export const grantResource = defineOperation({
  name: 'users.grantResource',
  input: z.tuple([idSchema, resourceTypeSchema, resourceIdSchema]),
  async run(unit, [userId, type, resourceId]) {
    const target = await resourceTarget(unit, userId, type);
    const grant = { organizationId: target.organization.id, userId: target.user.id, type, resourceId };
    if (await unit.tx.resources.add(grant)) {
      const before = target.stored[type];
      recordResourceChange(unit, target, type, sortedIds([...(Array.isArray(before) ? before : []), resourceId]));
    }
    return unit.view(target.user, target.organization);
  },
});

/** `users.revokeResource`: takes one resource out of the user's access (a holder of all of the type keeps all). */
export const revokeResource = defineOperation({
  name: 'users.revokeResource',
  input: z.tuple([idSchema, resourceTypeSchema, resourceIdSchema]),
  async run(unit, [userId, type, resourceId]) {
    const target = await resourceTarget(unit, userId, type);
    if (await unit.tx.resources.remove({ userId: target.user.id, type, resourceId })) {
      const before = target.stored[type];
      const left = Array.isArray(before) ? before.filter((id) => id !== resourceId) : [];
      recordResourceChange(unit, target, type, left.length > 0 ? left : undefined);
    }
    return unit.view(target.user, target.organization);
  },
});
