import { parseInput } from '../schemas/parse.js';
import { sessionIdSchema } from '../schemas/users.js';
import { type SessionView, sessionIdOf, sessionView } from './sessions.js';
import { notFound, type Unit } from './unit.js';
import { changeableUser, readableUser } from './user-target.js';

/** `users.sessions`: the user's live sessions, most recently used first, for themselves or an admin. */
export async function listUserSessions(unit: Unit, id: unknown): Promise<SessionView[]> {
  const { user } = await readableUser(unit, id);
  const sessions = await unit.tx.sessions.listLive(user.id, unit.now);
  return sessions.map(sessionView);
}

/**
 * `users.revokeSession`: ends one live session of the user (a lost laptop),
 * by the user themselves or an admin. `NOT_FOUND` when no live session of
 * theirs has that id.
 */
export async function revokeUserSession(unit: Unit, id: unknown, sessionId: unknown): Promise<void> {
  const wanted = parseInput(sessionIdSchema, sessionId);
  const { user, organization } = await changeableUser(unit, id, 'profile');
  const sessions = await unit.tx.sessions.listLive(user.id, unit.now);
  const session = sessions.find((candidate) => sessionIdOf(candidate.digest) === wanted);
  if (!session) throw notFound('No such session');
  await unit.tx.sessions.revoke(session.digest, unit.now);
  unit.record('session.revoked', {
    organizationId: organization.id,
    targetId: user.id,
    metadata: { reason: 'revoked', revoked: 1, sessionId: wanted },
  });
}
