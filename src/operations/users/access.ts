import { z } from 'zod';
import { checkGrantChange } from '../../flows/grants.js';
import { endSessions } from '../../flows/session-validation.js';
import { changedUser } from '../../flows/user-target.js';
import { saveUser } from '../../flows/user-writes.js';
import { idSchema } from '../../schemas/common.js';
import { setAccessSchema } from '../../schemas/users.js';
import { defineOperation } from '../operation.js';

/** `users.setAccess`: permissions, roles and the right to sign in, by an administrator. */
export const setAccess = defineOperation({
  name: 'users.setAccess',
  input: z.tuple([idSchema, setAccessSchema]),
  guarded: true,
  async run(unit, [id, data]) {
    const { user, organization, updated } = await changedUser(unit, id, 'access', (user) => ({
      ...user,
      permissions: data.permissions ?? user.permissions,
      roles: data.roles ?? user.roles,
      canSignIn: data.canSignIn ?? user.canSignIn,
    }));
    await checkGrantChange(unit, organization, user, updated);
    const view = await saveUser(unit, user, updated, organization);
    if (user.canSignIn && !updated.canSignIn) {
      await endSessions(unit, user.id, organization.id, 'login removed');
      // Invitation and reset links die with the login: giving it back must not revive them.
      await unit.tx.tokens.revokeForUser(user.id, unit.now);
    }
    return view;
  },
});
