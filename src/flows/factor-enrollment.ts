import type { FactorConfirmation } from '../auth-types.js';
import { TenantryError } from '../errors.js';
import type { OneTimeToken } from '../ports/identity-storage.js';
import { mayHoldSession, standing } from '../rules/account-standing.js';
import { newRecoveryCodes } from '../secrets/recovery-codes.js';
import type { Organization, User } from '../types.js';
import { openChallenge } from './second-factors.js';
import { liveSession } from './session-validation.js';
import { enrollmentChallenges, firstFactorOf } from './sign-in-challenges.js';
import { finishSignIn, type SignInClient } from './sign-in-steps.js';
import type { Unit } from './unit.js';

/** Who enrolls a factor: a signed-in user, or a sign-in that waits for its first factor (and its client). */
export interface Enroller {
  user: User;
  organization: Organization;
  /** The challenge of a sign-in waiting for this enrollment; null for a signed-in user. */
  challenge: OneTimeToken | null;
  client: SignInClient;
}

/**
 * The user who enrolls, their row locked: the owner of a live session
 * (able to hold one still, and, for a change, won within
 * `policy.mfa.recentSignInMs`), or of an enrollment challenge. The challenge of
 * a sign-in that waits for a second factor the user has is not one: with
 * only a password, nobody adds a factor to an account that has one.
 */
export async function enroller(
  unit: Unit,
  input: { sessionToken: string } | { challengeToken: string; ip?: string | undefined; userAgent?: string | undefined },
  purpose: 'change' | 'read' = 'change',
): Promise<Enroller> {
  if ('challengeToken' in input) {
    const { token, user, organization } = await openChallenge(unit, input.challengeToken, enrollmentChallenges);
    return { user, organization, challenge: token, client: { ip: input.ip, userAgent: input.userAgent } };
  }
  const session = await liveSession(unit, input.sessionToken);
  // A change of how one signs in needs a recent sign-in, not a session someone found open (ASVS 5.0 7.5.1).
  const { recentSignInMs } = unit.context.policy.mfa;
  if (purpose === 'change' && unit.now.getTime() - session.createdAt.getTime() > recentSignInMs) {
    throw new TenantryError('FORBIDDEN', 'Sign in again to change how you sign in', {
      reason: 'recent-sign-in-required',
    });
  }
  const user = await unit.tx.users.get(session.userId, { forUpdate: true });
  if (!user || !mayHoldSession(standing(user, unit.now))) {
    throw new TenantryError('SESSION_INVALID', 'Sign in again');
  }
  const organization = await unit.organizationFor(user.organizationId, 'member');
  return { user, organization, challenge: null, client: {} };
}

/** Gives the user a fresh set of recovery codes (the old ones stop working); the codes, to show once. */
export async function giveRecoveryCodes(unit: Unit, user: User): Promise<string[]> {
  const { codes, digests } = newRecoveryCodes(unit.context.randomBytes);
  await unit.tx.recoveryCodes.replace(user.id, digests, unit.now);
  unit.record('recovery-codes.generated', {
    organizationId: user.organizationId,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    metadata: { count: codes.length },
  });
  return codes;
}

/** Records a newly confirmed factor and mails its owner. */
export function recordFactorAdded(
  unit: Unit,
  enrolled: Enroller,
  factor: { id: string; type: string; label: string },
): void {
  const { user, organization } = enrolled;
  unit.record('factor.added', {
    organizationId: organization.id,
    targetId: user.id,
    actor: { type: 'user', userId: user.id },
    metadata: { factorId: factor.id, type: factor.type, label: factor.label },
  });
  unit.send({ kind: 'factor-added', user, organization });
}

/**
 * What confirming a factor answers: the factor and its recovery codes; and,
 * when a sign-in waited for this enrollment, that sign-in finished with the
 * new factor (its challenge used up). A session is answered at the top,
 * where the HTTP handler moves its token into the cookie.
 */
export async function finishEnrollment(
  unit: Unit,
  enrolled: Enroller,
  answer: FactorConfirmation,
  method: 'totp' | 'passkey',
  used: () => TenantryError,
): Promise<FactorConfirmation> {
  if (!enrolled.challenge) return answer;
  // A concurrent call that finished the same sign-in first used the challenge up.
  if (!(await unit.tx.tokens.consume(enrolled.challenge.digest, unit.now))) throw used();
  const { user, organization, client } = enrolled;
  const first = firstFactorOf(enrolled.challenge);
  const signIn = await finishSignIn(unit, user, organization, [first, method], client, null);
  return signIn.kind === 'session'
    ? { ...answer, token: signIn.token, session: signIn.session }
    : { ...answer, signIn };
}
