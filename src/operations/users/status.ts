import { z } from 'zod';
import { reassignContactPerson } from '../../flows/admin-guard.js';
import { endSessions } from '../../flows/session-validation.js';
import { enforce } from '../../flows/unit.js';
import { changeableUser, changedUser } from '../../flows/user-target.js';
import { saveUser } from '../../flows/user-writes.js';
import { nextStatus } from '../../rules/status-machine.js';
import { checkNewExpiry } from '../../rules/user-conditions.js';
import { idSchema } from '../../schemas/common.js';
import { expirySchema } from '../../schemas/users.js';
import type { User } from '../../types.js';
import { defineOperation } from '../operation.js';

/** `users.disable`: reversible; refused for the last admin; sessions and open links end; the contact person role moves on. */
export const disableUser = defineOperation({
  name: 'users.disable',
  input: z.tuple([idSchema]),
  guarded: true,
  async run(unit, [id]) {
    const { user, organization, updated } = await changedUser(unit, id, 'status', (user) => ({
      ...user,
      status: 'disabled',
    }));
    enforce(nextStatus(user, 'disable'));
    const view = await saveUser(unit, user, updated, organization);
    await endSessions(unit, user.id, organization.id, 'disabled');
    // Invitation and reset links die with the access: enabling again must not revive them.
    await unit.tx.tokens.revokeForUser(user.id, unit.now);
    await reassignContactPerson(unit, organization, updated);
    return { ...view, isContactPerson: false };
  },
});

/** `users.enable`: back to active (or pending if they never activated). */
export const enableUser = defineOperation({
  name: 'users.enable',
  input: z.tuple([idSchema]),
  async run(unit, [id]) {
    const { user, organization } = await changeableUser(unit, id, 'status');
    const next = nextStatus(user, 'enable');
    enforce(next);
    return saveUser(unit, user, { ...user, status: next.status }, organization);
  },
});

/** `users.unlock`: clears a lockout and the count of failed sign-ins. */
export const unlockUser = defineOperation({
  name: 'users.unlock',
  input: z.tuple([idSchema]),
  async run(unit, [id]) {
    const { user, organization } = await changeableUser(unit, id, 'status');
    const updated: User = { ...user, lockedAt: null, lockedUntil: null, failedSignIns: 0 };
    return saveUser(unit, user, updated, organization);
  },
});

/** `users.setExpiry`: a temporary account, or null for a lasting one. Temporary admins do not count as the last admin. */
export const setExpiry = defineOperation({
  name: 'users.setExpiry',
  input: z.tuple([idSchema, expirySchema]),
  guarded: true,
  async run(unit, [id, expiresAt]) {
    enforce(checkNewExpiry(expiresAt, unit.now, 'expiresAt'));
    const { user, organization, updated } = await changedUser(unit, id, 'expiry', (user) => ({ ...user, expiresAt }));
    return saveUser(unit, user, updated, organization);
  },
});
