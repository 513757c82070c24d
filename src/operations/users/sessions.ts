import { z } from 'zod';
import { sessionIdOf } from '../../flows/sessions.js';
import { notFound } from '../../flows/unit.js';
import { changeableUser } from '../../flows/user-target.js';
import { idSchema } from '../../schemas/common.js';
import { sessionIdSchema } from '../../schemas/users.js';
import { defineOperation } from '../operation.js';

/** `users.invalidateSessions`: signs the user out everywhere; returns how many sessions ended. */
export const invalidateSessions = defineOperation({
  name: 'users.invalidateSessions',
  input: z.tuple([idSchema]),
  async run(unit, [id]) {
    const { user, organization } = await changeableUser(unit, id, 'profile');
    const revoked = await unit.tx.sessions.revokeForUser(user.id, unit.now);
    unit.record('session.revoked', {
      organizationId: organization.id,
      targetId: user.id,
      metadata: { reason: 'invalidated', revoked },
    });
    return { revoked };
  },
});

/**
 * `users.revokeSession`: ends one live session of the user (a lost laptop),
 * by the user themselves or an admin. `NOT_FOUND` when no live session of
 * theirs has that id.
 */
export const revokeUserSession = defineOperation({
  name: 'users.revokeSession',
  input: z.tuple([idSchema, sessionIdSchema]),
  async run(unit, [id, sessionId]): Promise<void> {
    const { user, organization } = await changeableUser(unit, id, 'profile');
    const sessions = await unit.tx.sessions.listLive(user.id, unit.now);
    const session = sessions.find((candidate) => sessionIdOf(candidate.digest) === sessionId);
    if (!session) throw notFound('No such session');
    await unit.tx.sessions.revoke(session.digest, unit.now);
    unit.record('session.revoked', {
      organizationId: organization.id,
      targetId: user.id,
      metadata: { reason: 'revoked', revoked: 1, sessionId },
    });
  },
});
