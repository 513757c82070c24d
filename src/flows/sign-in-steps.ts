import type { SignInResult } from '../auth-types.js';
import type { AuthenticationMethod } from '../ports/identity-storage.js';
import { signInStep } from '../rules/second-factor-policy.js';
import type { Organization, User } from '../types.js';
import { issueLink } from './one-time-links.js';
import { factorStanding, issueChallenge, methodsOf } from './second-factors.js';
import { sessionView, startSession } from './sessions.js';
import type { Unit } from './unit.js';
import { storeUser } from './user-writes.js';

/** Who is signing in, as the session will record it. */
export interface SignInClient {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** A challenge instead of a session, for a user who must change their password first. */
async function passwordChangeChallenge(unit: Unit, user: User): Promise<string> {
  const { token } = await issueLink(unit, user, 'password-change', 'self-service', unit.context.policy.resetTtlMs);
  return token;
}

/**
 * After the right password: a password change an admin asked for comes
 * first (`completePasswordChange` comes back here); then the step the user's factors and their
 * organization's policy ask. A user with a confirmed factor proves it (a
 * challenge, the failure count left as it is, so guessing codes runs into
 * the lockout); one a policy requires a factor of, past the grace period,
 * enrolls one (a challenge); anyone else signs in, the session carrying when
 * enrollment falls due.
 */
export async function afterPassword(
  unit: Unit,
  user: User,
  organization: Organization,
  client: SignInClient,
): Promise<SignInResult> {
  if (user.mustChangePassword) {
    return {
      kind: 'password-change-required',
      challengeToken: await passwordChangeChallenge(unit, user),
      user: await unit.view(user, organization),
    };
  }
  const step = await secondFactorStep(unit, user, organization);
  if ('challenge' in step) return step.challenge;
  return finishSignIn(unit, user, organization, ['password'], client, step.enrollmentDueAt);
}

/** What a user's factors and their organization's policy ask after a password. */
export type SecondFactorStep =
  | { challenge: Exclude<SignInResult, { kind: 'session' | 'password-change-required' }> }
  | { enrollmentDueAt: Date | null };

/**
 * The step a user stands at once their password is proven (at sign-in or
 * by accepting an invitation): a challenge to prove a factor they have or to
 * enroll one a policy asks past its grace period, or none, with when
 * enrollment falls due.
 */
export async function secondFactorStep(unit: Unit, user: User, organization: Organization): Promise<SecondFactorStep> {
  const standing = await factorStanding(unit, user);
  const step = signInStep({ hasFactor: standing.factors.length > 0, deadline: standing.deadline, now: unit.now });
  if (step.step === 'second-factor') {
    const methods = await methodsOf(unit, user, standing.factors);
    const challengeToken = await issueChallenge(unit, user, 'second-factor');
    const view = await unit.view(user, organization);
    return { challenge: { kind: 'second-factor-required', challengeToken, methods, user: view } };
  }
  if (step.step === 'enrollment') {
    const challengeToken = await issueChallenge(unit, user, 'factor-enrollment');
    return {
      challenge: {
        kind: 'second-factor-enrollment-required',
        challengeToken,
        user: await unit.view(user, organization),
      },
    };
  }
  return { enrollmentDueAt: step.enrollmentDueAt };
}

/**
 * The end of a sign-in, every factor it needed proven: the failure count and
 * any lockout cleared, the success recorded with how it was won, and the
 * session.
 */
export async function finishSignIn(
  unit: Unit,
  user: User,
  organization: Organization,
  methods: AuthenticationMethod[],
  client: SignInClient,
  enrollmentDueAt: Date | null,
): Promise<SignInResult> {
  // The access the view shows, read before the writes, so that they go to the database together.
  await unit.resourceAccessOf([user]);
  const signedIn: User = {
    ...user,
    failedSignIns: 0,
    lockedAt: null,
    lockedUntil: null,
    lastSignInAt: unit.now,
    updatedAt: unit.now,
  };
  await storeUser(unit, signedIn);
  unit.record('signin.succeeded', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    ...(methods.length > 1 ? { metadata: { methods } } : {}),
  });
  const view = await unit.view(signedIn, organization);
  const { token, session } = await startSession(unit, signedIn, client, { methods, enrollmentDueAt });
  return { kind: 'session', token, session: sessionView(session), user: view };
}
