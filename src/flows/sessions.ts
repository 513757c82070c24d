import type { AuthenticationMethod, Session } from '../ports/identity-storage.js';
import { newSecretToken, tokenDigest } from '../secrets/one-time-token.js';
import type { User } from '../types.js';
import type { Unit } from './unit.js';

/**
 * A session as the API shows it: neither its token nor the token's digest.
 * `id` names it, for `users.revokeSession`.
 */
export type SessionView = { id: string } & Omit<Session, 'digest'>;

/**
 * A session's public id: the first 96 bits of its token's digest. The digest
 * cannot be turned back into the token (access tokens carry it whole as
 * `sid`), and 96 bits tell a user's sessions apart.
 */
export function sessionIdOf(digest: string): string {
  return digest.slice(0, 24);
}

/**
 * A session as callers see it. Built as one literal: a rest spread of the
 * record took a tenth of `validateSession` on memory.
 */
export function sessionView(session: Session): SessionView {
  return {
    id: sessionIdOf(session.digest),
    userId: session.userId,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    absoluteExpiresAt: session.absoluteExpiresAt,
    ip: session.ip,
    userAgent: session.userAgent,
    revokedAt: session.revokedAt,
    authenticationMethods: session.authenticationMethods,
    enrollmentDueAt: session.enrollmentDueAt,
  };
}

/** A new session's bearer token (give it to the client) and its stored record. */
export interface StartedSession {
  token: string;
  session: Session;
}

/** Starts a session for a user: an opaque 200-bit token, of which only the SHA-256 is stored. */
export async function startSession(
  unit: Unit,
  user: User,
  client: { ip?: string | undefined; userAgent?: string | undefined } = {},
  proof: { methods: AuthenticationMethod[]; enrollmentDueAt?: Date | null } = { methods: ['password'] },
): Promise<StartedSession> {
  const { idleTimeoutMs, absoluteTimeoutMs } = unit.context.policy.session;
  const token = newSecretToken();
  const now = unit.now.getTime();
  const session: Session = {
    digest: tokenDigest(token),
    userId: user.id,
    createdAt: unit.now,
    lastSeenAt: unit.now,
    expiresAt: new Date(Math.min(now + idleTimeoutMs, now + absoluteTimeoutMs)),
    absoluteExpiresAt: new Date(now + absoluteTimeoutMs),
    ip: client.ip ?? null,
    userAgent: client.userAgent ?? null,
    revokedAt: null,
    authenticationMethods: [...proof.methods],
    enrollmentDueAt: proof.enrollmentDueAt ?? null,
  };
  await unit.tx.sessions.insert(session);
  unit.record('session.started', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
  });
  return { token, session };
}
