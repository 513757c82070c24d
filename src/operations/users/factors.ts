import { z } from 'zod';
import { confirmedFactors, type Factor, factorView } from '../../flows/second-factors.js';
import { endSessions } from '../../flows/session-validation.js';
import { changeableUser, ownOrAdministeredUser } from '../../flows/user-target.js';
import { idSchema } from '../../schemas/common.js';
import { defineOperation } from '../operation.js';

/** `users.factors`: a user's confirmed second factors, without secrets; for the user and whoever administers them. */
export const userFactors = defineOperation({
  name: 'users.factors',
  input: z.tuple([idSchema]),
  async run(unit, [id]): Promise<Factor[]> {
    const { user } = await ownOrAdministeredUser(unit, id);
    return (await confirmedFactors(unit, user.id)).map(factorView);
  },
});

/**
 * `users.resetFactors`: removes every second factor and recovery code of a
 * user who lost them (a new phone), ends their sessions and mails them; by
 * whoever administers them, never oneself. At their next sign-in they enroll
 * again if their organization requires it.
 */
export const resetFactors = defineOperation({
  name: 'users.resetFactors',
  input: z.tuple([idSchema]),
  async run(unit, [id]): Promise<{ removed: number }> {
    const { user, organization } = await changeableUser(unit, id, 'second factors');
    const removed = await unit.tx.factors.removeForUser(user.id);
    await unit.tx.recoveryCodes.removeForUser(user.id);
    await endSessions(unit, user.id, organization.id, 'second factors reset');
    unit.record('factors.reset', { organizationId: organization.id, targetId: user.id, metadata: { removed } });
    if (removed > 0) unit.send({ kind: 'factors-reset', user, organization });
    return { removed };
  },
});
