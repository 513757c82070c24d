import type { SignInResult } from '../auth-types.js';
import { normalizeEmail } from '../email.js';
import { TenantryError } from '../errors.js';
import type { StoredSsoConnection } from '../ports/sso-storage.js';
import { checkAccessChange } from '../rules/access-change.js';
import { signInRefusal, standing } from '../rules/account-standing.js';
import { signInStep } from '../rules/second-factor-policy.js';
import { ssoGrantable } from '../rules/sso-access.js';
import { mappedAccess, type SsoAccountRefusal, ssoAccountDecision } from '../rules/sso-accounts.js';
import type { SsoAccess } from '../sso-types.js';
import type { Organization, User } from '../types.js';
import { guardAdmins } from './admin-guard.js';
import { factorStanding, issueChallenge, methodsOf } from './second-factors.js';
import { finishSignIn, type SignInClient } from './sign-in-steps.js';
import type { Unit } from './unit.js';
import { newUser } from './user-records.js';
import { insertUser, saveUser, storeUser } from './user-writes.js';

/** What a provider proved about the person signing in, whatever its protocol. */
export interface ProvenIdentity {
  /** The provider's stable id of the person (OIDC `sub`, SAML `NameID`). */
  subject: string;
  email: string | null;
  /** The provider's word on the address: null when it says nothing. */
  emailVerified: boolean | null;
  givenName: string | null;
  familyName: string | null;
  /** The ID token's claims, or the assertion's attributes, for the role mapping. */
  claims: Readonly<Record<string, unknown>>;
  /** Whether the provider says it asked a second factor. */
  usedSecondFactor: boolean;
}

/** What an SSO sign-in answers: a sign-in's answer, and whether its user was created just now. */
export type SsoSignInResult = SignInResult & { created: boolean };

/** `SSO_FAILED` with its reason; nothing of the attempt is kept but its audit event. */
export function ssoFailed(reason: string, message = 'Single sign-on did not sign you in'): TenantryError {
  return new TenantryError('SSO_FAILED', message, { reason });
}

const refusalMessages: Record<SsoAccountRefusal, string> = {
  'email-missing': 'Your identity provider did not send an email address',
  'email-unverified': 'Your identity provider has not verified your email address',
  'domain-not-verified': 'Your email address is not in a domain of this company',
  'user-in-other-organization': 'Your email address belongs to an account of another organization',
};

/**
 * Signs in, links or creates the user a connection's provider proved, inside
 * the transaction that consumed the sign-in's state: who may be reached is
 * the rule of verified domains (`ssoAccountDecision`); a new user starts
 * active, without a password, with the mapped or default access; a known one
 * has their names and, where the connection maps claims, their access
 * brought up to date by the grant rules (never an operator-only grant, never
 * the organization's last admin lost). Then the second factor: the
 * provider's, where the connection trusts it, or the user's own.
 */
export async function signInWithIdentity(
  unit: Unit,
  connection: StoredSsoConnection,
  identity: ProvenIdentity,
  client: SignInClient,
): Promise<SsoSignInResult> {
  const organization = await unit.tx.organizations.get(connection.organizationId, { forUpdate: true });
  if (!organization) throw ssoFailed('connection-unavailable');
  const claims = await unit.tx.domains.forOrganization(organization.id);
  const email = identity.email === null ? null : normalizeEmail(identity.email);
  const link = await unit.tx.ssoIdentities.get(connection.id, identity.subject);
  const linkedUser = link ? await unit.tx.users.get(link.userId) : null;
  const userWithEmail = email === null ? null : await unit.tx.users.getByEmail(email);
  const decision = ssoAccountDecision({
    connectionOrganizationId: organization.id,
    verifiedDomains: claims.filter((claim) => claim.verifiedAt !== null).map((claim) => claim.domain),
    email,
    emailVerified: identity.emailVerified,
    linkedUser,
    userWithEmail,
  });
  if (decision.outcome === 'refuse') throw ssoFailed(decision.reason, refusalMessages[decision.reason]);
  const mapped = mappedAccess(connection.roleMapping, identity.claims);
  const metadata = { connectionId: connection.id, via: 'sso' };

  let user: User;
  if (decision.outcome === 'create') {
    user = await createdUser(unit, organization, connection, identity, email as string, mapped);
  } else {
    user = (await unit.tx.users.get(decision.userId, { forUpdate: true })) as User;
    if (decision.outcome === 'link') {
      if (user.status === 'pending') user = await activated(unit, user, organization);
      await unit.tx.ssoIdentities.insert(linkOf(connection, identity, user, unit.now));
      unit.record('sso.linked', { organizationId: organization.id, targetId: user.id, metadata });
    } else {
      await unit.tx.ssoIdentities.touch(connection.id, identity.subject, unit.now);
    }
    user = await broughtUpToDate(unit, organization, connection, identity, user, mapped);
  }
  const refusal = signInRefusal(standing(user, unit.now));
  if (refusal) throw new TenantryError(refusal.code, refusal.message, refusal.details);
  const created = decision.outcome === 'create';
  return { ...(await afterIdentity(unit, user, organization, connection, identity, client)), created };
}

function linkOf(connection: StoredSsoConnection, identity: ProvenIdentity, user: User, now: Date) {
  return { connectionId: connection.id, subject: identity.subject, userId: user.id, createdAt: now, lastSignInAt: now };
}

/** A user created just in time: active, without a password, linked to the identity. */
async function createdUser(
  unit: Unit,
  organization: Organization,
  connection: StoredSsoConnection,
  identity: ProvenIdentity,
  email: string,
  mapped: SsoAccess | null,
): Promise<User> {
  const access = await grantable(unit, organization, mapped ?? connection.defaultAccess);
  const user: User = {
    ...newUser(unit.now, organization.id, {
      email,
      firstName: identity.givenName?.trim() || email.slice(0, email.indexOf('@')),
      lastName: identity.familyName?.trim() ?? '',
      roles: access.roles,
      permissions: access.permissions,
    }),
    status: 'active',
    activatedAt: unit.now,
  };
  const grants = { roles: access.roles, permissions: access.permissions };
  if (
    !checkAccessChange(
      accessCheck(unit, organization, { roles: [], permissions: [] }, grants, await unit.rolesOf(organization)),
    ).ok
  ) {
    // Dependencies the mapping leaves unmet: the user starts without access rather than with half of it.
    user.roles = [];
    user.permissions = [];
  }
  await insertUser(unit, organization, user, { connectionId: connection.id, via: 'sso' });
  await unit.tx.ssoIdentities.insert(linkOf(connection, identity, user, unit.now));
  return user;
}

async function activated(unit: Unit, user: User, organization: Organization): Promise<User> {
  const active: User = { ...user, status: 'active', activatedAt: unit.now, updatedAt: unit.now };
  await storeUser(unit, active);
  unit.record('user.activated', {
    organizationId: organization.id,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    changes: { status: { before: user.status, after: 'active' } },
    metadata: { via: 'sso' },
  });
  return active;
}

/**
 * A known user after the provider's word: the names it sent, and, where the
 * connection maps claims, the access they map to (or the default). A change
 * of access the grant rules refuse, or one that would leave the organization
 * without an admin, is not made: the user keeps what they had, and the trail
 * says why.
 */
async function broughtUpToDate(
  unit: Unit,
  organization: Organization,
  connection: StoredSsoConnection,
  identity: ProvenIdentity,
  user: User,
  mapped: SsoAccess | null,
): Promise<User> {
  let after: User = {
    ...user,
    firstName: identity.givenName?.trim() || user.firstName,
    lastName: identity.familyName?.trim() || user.lastName,
  };
  if (connection.roleMapping) {
    const access = await grantable(unit, organization, mapped ?? connection.defaultAccess);
    const proposed = { ...after, roles: access.roles, permissions: access.permissions };
    const roles = await unit.rolesOf(organization);
    const decision = checkAccessChange(accessCheck(unit, organization, user, proposed, roles));
    const keepsAdmin = decision.ok && (await keepsAnAdmin(unit, organization, proposed));
    if (decision.ok && keepsAdmin) after = proposed;
    else if (!sameAccess(user, proposed)) {
      const reason = decision.ok ? 'LAST_ADMIN' : decision.code;
      unit.record('sso.access-kept', { organizationId: organization.id, targetId: user.id, metadata: { reason } });
    }
  }
  await saveUser(unit, user, after, organization, { connectionId: connection.id, via: 'sso' });
  return { ...after, updatedAt: unit.now };
}

function sameAccess(a: Pick<User, 'roles' | 'permissions'>, b: Pick<User, 'roles' | 'permissions'>): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && [...x].sort().every((key, index) => key === [...y].sort()[index]);
  return same(a.roles, b.roles) && same(a.permissions, b.permissions);
}

async function keepsAnAdmin(unit: Unit, organization: Organization, proposed: User): Promise<boolean> {
  try {
    await guardAdmins(unit, organization, { user: proposed });
    return true;
  } catch (error) {
    if (error instanceof TenantryError && error.code === 'LAST_ADMIN') return false;
    throw error;
  }
}

function accessCheck(
  unit: Unit,
  organization: Organization,
  before: Pick<User, 'roles' | 'permissions'>,
  after: Pick<User, 'roles' | 'permissions'>,
  roles: Awaited<ReturnType<Unit['rolesOf']>>,
) {
  return { actor: unit.facts, organization, catalog: unit.context.catalog, roles, before, after };
}

async function grantable(unit: Unit, organization: Organization, access: SsoAccess): Promise<SsoAccess> {
  return ssoGrantable(access, { organization, catalog: unit.context.catalog, roles: await unit.rolesOf(organization) });
}

/**
 * The second-factor step of an SSO sign-in: the provider's second factor
 * counts where the connection trusts it (`trustProviderMfa`, the default);
 * otherwise, or when the provider asked none, the user proves their own (or
 * enrolls one a policy requires past its grace period), as after a password.
 */
async function afterIdentity(
  unit: Unit,
  user: User,
  organization: Organization,
  connection: StoredSsoConnection,
  identity: ProvenIdentity,
  client: SignInClient,
): Promise<SignInResult> {
  const trusted = connection.settings.trustProviderMfa !== false && identity.usedSecondFactor;
  if (trusted) return finishSignIn(unit, user, organization, ['sso'], client, null);
  const standing = await factorStanding(unit, user);
  const step = signInStep({ hasFactor: standing.factors.length > 0, deadline: standing.deadline, now: unit.now });
  if (step.step === 'session') return finishSignIn(unit, user, organization, ['sso'], client, step.enrollmentDueAt);
  return ownSecondFactor(unit, user, organization, step.step, standing);
}

/**
 * The user's own factor after the provider's sign-in: a challenge like the
 * one after a password, whose answer finishes the sign-in as `['sso', …]`.
 */
async function ownSecondFactor(
  unit: Unit,
  user: User,
  organization: Organization,
  step: 'second-factor' | 'enrollment',
  standing: Awaited<ReturnType<typeof factorStanding>>,
): Promise<SignInResult> {
  const view = await unit.view(user, organization);
  if (step === 'enrollment') {
    const challengeToken = await issueChallenge(unit, user, 'sso-factor-enrollment');
    return { kind: 'second-factor-enrollment-required', challengeToken, user: view };
  }
  const methods = await methodsOf(unit, user, standing.factors);
  const challengeToken = await issueChallenge(unit, user, 'sso-second-factor');
  return { kind: 'second-factor-required', challengeToken, methods, user: view };
}
