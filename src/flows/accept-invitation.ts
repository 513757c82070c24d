import { TenantryError } from '../errors.js';
import type { OneTimeToken, TokenPurpose } from '../ports/identity-storage.js';
import { mayBeInvited, standing } from '../rules/account-standing.js';
import { checkPasswordLength, normalizePassword } from '../rules/password-policy.js';
import { nextStatus } from '../rules/status-machine.js';
import { opaqueTokenSchema } from '../schemas/common.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { tokenDigest } from '../secrets/one-time-token.js';
import type { Organization, User, UserView } from '../types.js';
import type { FlowContext } from './context.js';
import { type StartedSession, startSession } from './sessions.js';
import { type SecondFactorStep, type SignInClient, secondFactorStep } from './sign-in-steps.js';
import { enforce, type Unit } from './unit.js';
import { storeUser } from './user-writes.js';

function invalidToken(): TenantryError {
  return new TenantryError('TOKEN_INVALID', 'This link is invalid or has expired');
}

/** The open token of this purpose, its user and organization, or `TOKEN_INVALID` for anything else. */
export async function redeemableToken(
  unit: Unit,
  rawToken: unknown,
  purpose: TokenPurpose,
): Promise<{ token: OneTimeToken; user: User; organization: Organization }> {
  const result = opaqueTokenSchema.safeParse(rawToken);
  if (!result.success) throw invalidToken();
  const digest = tokenDigest(result.data);
  const token = await unit.tx.tokens.get(digest);
  // The lookup found it by digest; the constant-time check keeps the final comparison free of timing signals.
  if (
    !token ||
    !constantTimeEqual(token.digest, digest) ||
    token.purpose !== purpose ||
    token.consumedAt !== null ||
    token.expiresAt <= unit.now
  )
    throw invalidToken();
  const user = await unit.lockUser(token.userId);
  const organization = user && (await unit.chain(user.organizationId).catch(() => []))[0];
  if (!user || !organization || user.erasedAt !== null) throw invalidToken();
  return { token, user, organization };
}

function assertInvitable(user: User, now: Date): void {
  if (!mayBeInvited(standing(user, now))) {
    throw new TenantryError('TOKEN_INVALID', 'This link is invalid or has expired');
  }
}

/** `auth.inspectInvitation`: what the acceptance page shows. */
export async function inspectInvitation(unit: Unit, rawToken: unknown) {
  const { token, user, organization } = await redeemableToken(unit, rawToken, 'invitation');
  assertInvitable(user, unit.now);
  return {
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    organizationName: organization.name,
    expiresAt: token.expiresAt,
    termsRequired: unit.context.policy.requireTermsAcceptance,
  };
}

/** Checks a new password against the length policy and the host's checker; refusals are `WEAK_PASSWORD`. */
export async function acceptablePassword(context: FlowContext, password: string, user: User): Promise<string> {
  enforce(checkPasswordLength(password, context.policy.password));
  const normalized = normalizePassword(password);
  const reason = context.passwordChecker ? await context.passwordChecker(normalized, user) : null;
  if (reason) throw new TenantryError('WEAK_PASSWORD', reason, { reason: 'rejected' });
  return normalized;
}

/**
 * `auth.acceptInvitation`, inside its transaction: re-checks the token (a
 * concurrent redemption may have won), consumes it, stores the password,
 * activates the user, records terms acceptance, and starts a session (or,
 * where a policy asks a second factor past its grace period, challenges the
 * user to enroll one first).
 */
export async function completeInvitation(
  unit: Unit,
  input: { token: string; acceptTerms?: boolean | undefined },
  passwordHash: string,
  client: SignInClient,
): Promise<
  | ({ kind: 'session'; user: UserView } & StartedSession)
  | Extract<SecondFactorStep, { challenge: unknown }>['challenge']
> {
  const { token, user, organization } = await redeemableToken(unit, input.token, 'invitation');
  assertInvitable(user, unit.now);
  if (unit.context.policy.requireTermsAcceptance && input.acceptTerms !== true) {
    throw new TenantryError('TERMS_REQUIRED', 'Accept the terms to continue');
  }
  if (!(await unit.tx.tokens.consume(token.digest, unit.now))) throw invalidToken();
  const next = nextStatus(user, 'activate');
  if (!next.ok) throw invalidToken();
  const activated: User = {
    ...user,
    status: next.status,
    activatedAt: unit.now,
    termsAcceptedAt: input.acceptTerms ? unit.now : user.termsAcceptedAt,
    updatedAt: unit.now,
  };
  await storeUser(unit, activated);
  await unit.tx.credentials.set({ userId: user.id, passwordHash, updatedAt: unit.now });
  unit.record('user.activated', {
    organizationId: organization.id,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    changes: { status: { before: user.status, after: next.status } },
    metadata: { termsAccepted: input.acceptTerms === true },
  });
  // Where a policy asks a second factor and its grace period is over (none, for a policy without one), the user
  // enrolls one before any session, as at sign-in; otherwise the session tells when enrollment falls due.
  const step = await secondFactorStep(unit, activated, organization);
  if ('challenge' in step) return step.challenge;
  const started = await startSession(unit, activated, client, {
    methods: ['password'],
    enrollmentDueAt: step.enrollmentDueAt,
  });
  return { kind: 'session', ...started, user: await unit.view(activated, organization) };
}
