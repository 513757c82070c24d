import { TenantryError } from '../errors.js';
import type { Session } from '../ports/identity-storage.js';
import { isExpired } from '../rules/user-conditions.js';
import { opaqueTokenSchema } from '../schemas/common.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { tokenDigest } from '../secrets/one-time-token.js';
import type { UserView } from '../types.js';
import type { Unit } from './unit.js';

/** Sliding renewal is written at most once a minute per session, not on every request. */
const RENEWAL_GRANULARITY_MS = 60_000;

function invalidSession(): TenantryError {
  return new TenantryError('SESSION_INVALID', 'Sign in again');
}

/** A live session for a bearer token, or `SESSION_INVALID`. */
export async function liveSession(unit: Unit, rawToken: unknown): Promise<Session> {
  const parsed = opaqueTokenSchema.safeParse(rawToken);
  if (!parsed.success) throw invalidSession();
  return liveSessionByDigest(unit, tokenDigest(parsed.data));
}

/** A live session by its stored digest (the `sid` of access tokens), or `SESSION_INVALID`. */
export async function liveSessionByDigest(unit: Unit, digest: string): Promise<Session> {
  const session = await unit.tx.sessions.get(digest);
  const now = unit.now.getTime();
  if (
    !session ||
    !constantTimeEqual(session.digest, digest) ||
    session.revokedAt !== null ||
    session.expiresAt.getTime() <= now ||
    session.absoluteExpiresAt.getTime() <= now
  ) {
    throw invalidSession();
  }
  return session;
}

/**
 * `auth.validateSession`: reloads the user on every call, so a permission
 * change, a disable or an expiry applies on the next request; renews the idle
 * timeout up to the absolute lifetime.
 */
export async function validateSession(unit: Unit, rawToken: unknown) {
  return validateLiveSession(unit, await liveSession(unit, rawToken));
}

/** The user behind a live session, reloaded: active, able to sign in, not expired; renews the idle timeout. */
export async function validateLiveSession(unit: Unit, session: Session) {
  const user = await unit.tx.users.get(session.userId);
  const organization = user && (await unit.tx.organizations.get(user.organizationId));
  if (
    !user ||
    !organization ||
    user.erasedAt !== null ||
    user.status !== 'active' ||
    !user.canSignIn ||
    isExpired(user, unit.now)
  ) {
    throw invalidSession();
  }
  let current = session;
  if (unit.now.getTime() - session.lastSeenAt.getTime() >= RENEWAL_GRANULARITY_MS) {
    const expiresAt = new Date(
      Math.min(unit.now.getTime() + unit.context.policy.session.idleTimeoutMs, session.absoluteExpiresAt.getTime()),
    );
    await unit.tx.sessions.touch(session.digest, unit.now, expiresAt);
    current = { ...session, lastSeenAt: unit.now, expiresAt };
  }
  const view: UserView = await unit.view(user, organization);
  return {
    session: sessionView(current),
    user: view,
    actor: { type: 'user' as const, userId: user.id },
    permissions: view.effectivePermissions,
  };
}

/** `auth.signOut`: ends the session; an unknown or ended one is already signed out. */
export async function signOut(unit: Unit, rawToken: unknown): Promise<void> {
  const session = await liveSession(unit, rawToken).catch(() => null);
  if (!session) return;
  await unit.tx.sessions.revoke(session.digest, unit.now);
  const user = await unit.tx.users.get(session.userId);
  unit.record('session.ended', {
    organizationId: user?.organizationId ?? null,
    targetId: session.userId,
    actor: { type: 'user', userId: session.userId },
    metadata: { reason: 'sign-out' },
  });
}

/** Ends every live session of a user (disable, erase, loss of login, admin request); records how many. */
export async function endSessions(unit: Unit, userId: string, organizationId: string, reason: string): Promise<number> {
  const revoked = await unit.tx.sessions.revokeForUser(userId, unit.now);
  if (revoked > 0) {
    unit.record('session.revoked', { organizationId, targetId: userId, metadata: { reason, revoked } });
  }
  return revoked;
}

/** A session as callers see it: everything but the stored digest of its token. */
export function sessionView<T extends { digest: string }>({ digest: _digest, ...rest }: T): Omit<T, 'digest'> {
  return rest;
}
