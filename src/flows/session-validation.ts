import { TenantryError } from '../errors.js';
import type { Session } from '../ports/identity-storage.js';
import { mayHoldSession, standing } from '../rules/account-standing.js';
import { effectivePermissions } from '../rules/effective-permissions.js';
import { organizationRoles } from '../rules/organization-roles.js';
import { effectiveResourceAccess } from '../rules/resource-access.js';
import { opaqueTokenSchema } from '../schemas/common.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { tokenDigest } from '../secrets/one-time-token.js';
import type { Organization, User, UserView } from '../types.js';
import type { FlowContext } from './context.js';
import { sessionView } from './sessions.js';
import type { Unit } from './unit.js';
import { userView } from './user-records.js';

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

/** Whether a session found for `digest` is live at `now`: the same digest, not revoked, within both lifetimes. */
function isLive(session: Session | null, digest: string, now: Date): session is Session {
  const at = now.getTime();
  return (
    session !== null &&
    constantTimeEqual(session.digest, digest) &&
    session.revokedAt === null &&
    session.expiresAt.getTime() > at &&
    session.absoluteExpiresAt.getTime() > at
  );
}

/** Whether a user may hold a session: they and their organization exist, and their standing allows it. */
export function maySignIn(user: User | null, organization: Organization | null, now: Date): user is User {
  return user !== null && organization !== null && mayHoldSession(standing(user, now));
}

/** Whether the sliding renewal of a session is due (it is written at most once a minute). */
function renewalDue(session: Session, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= RENEWAL_GRANULARITY_MS;
}

/** A live session by its stored digest (the `sid` of access tokens), or `SESSION_INVALID`. */
export async function liveSessionByDigest(unit: Unit, digest: string): Promise<Session> {
  const session = await unit.tx.sessions.get(digest);
  if (!isLive(session, digest, unit.now)) throw invalidSession();
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
  if (!maySignIn(user, organization, unit.now)) throw invalidSession();
  let current = session;
  if (renewalDue(session, unit.now)) {
    const expiresAt = new Date(
      Math.min(unit.now.getTime() + unit.context.policy.session.idleTimeoutMs, session.absoluteExpiresAt.getTime()),
    );
    await unit.tx.sessions.touch(session.digest, unit.now, expiresAt);
    current = { ...session, lastSeenAt: unit.now, expiresAt };
  }
  return validated(current, await unit.view(user, organization as Organization));
}

function validated(session: Session, view: UserView) {
  return {
    session: sessionView(session),
    user: view,
    actor: { type: 'user' as const, userId: view.id },
    permissions: view.effectivePermissions,
    resourceAccess: view.effectiveResourceAccess,
  };
}

/**
 * `auth.validateSession` without a transaction, when the storage reads a
 * session with its user and organization in one step (`Storage.readSession`)
 * and no renewal is due: one round trip on PostgreSQL. Null when the
 * transactional path must answer instead.
 */
export async function validateSessionQuickly(context: FlowContext, rawToken: unknown) {
  if (!context.storage.readSession) return null;
  const parsed = opaqueTokenSchema.safeParse(rawToken);
  if (!parsed.success) throw invalidSession();
  const digest = tokenDigest(parsed.data);
  const found = await context.storage.readSession(digest);
  if (found === undefined) return null;
  const now = context.clock.now();
  if (found === null || !isLive(found.session, digest, now)) throw invalidSession();
  const { session, user, organization, customRoles, resourceAccess } = found;
  if (!maySignIn(user, organization, now)) throw invalidSession();
  if (renewalDue(session, now)) return null;
  const roles = organizationRoles(organization, context.standardRoles, customRoles);
  const effective = effectivePermissions(user, organization, context.catalog, roles);
  const access = {
    stored: resourceAccess,
    effective: effectiveResourceAccess(resourceAccess, context.resources, organization),
  };
  return validated(session, userView(user, organization, effective, now, access));
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
