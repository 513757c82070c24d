import { z } from 'zod';
import type { SignInResult } from '../../auth-types.js';
import { emailKey } from '../../email.js';
import { TenantryError } from '../../errors.js';
import { allowancesFor, requireAllowances, spendAllowances } from '../../flows/allowances.js';
import { confirmedFactors, openChallenge, proveRecoveryCode, proveTotp } from '../../flows/second-factors.js';
import { recordFailure } from '../../flows/sign-in.js';
import { firstFactorOf, secondFactorChallenges } from '../../flows/sign-in-challenges.js';
import { finishSignIn } from '../../flows/sign-in-steps.js';
import type { Unit } from '../../flows/unit.js';
import { verifySecondFactorSchema } from '../../schemas/factors.js';
import type { User } from '../../types.js';
import { defineOperation } from '../operation.js';

/** The answer to a wrong or reused code. */
function wrongCode(): TenantryError {
  return new TenantryError('INVALID_CREDENTIALS', 'The code is incorrect');
}

/**
 * `auth.verifySecondFactor`: a TOTP code or a recovery code finishes a
 * sign-in that waits for a second factor. A wrong code leaves the challenge
 * open but counts as a failed sign-in (the lockout, and the allowances per
 * client and account, which refuse with `RATE_LIMITED` before any code is
 * checked); a right code for an account locked meanwhile opens nothing. A
 * recovery code is used up, recorded and mailed to the user.
 *
 * The code is checked, and the sign-in finished or the failure counted, in
 * one transaction, which holds the user's row from the challenge on: a
 * wrong code's count commits with it, and only then is the error answered.
 */
export const verifySecondFactor = defineOperation({
  name: 'auth.verifySecondFactor',
  input: z.tuple([verifySecondFactorSchema]),
  async execute(steps, [data]): Promise<SignInResult> {
    const { context } = steps;
    const started = context.clock.now();
    // The account's allowance is keyed by its address: read first, unless rate limits are off. The limiter
    // is asked between transactions, never inside one: it may keep its counts in the same database.
    const user = context.policy.rateLimits.enabled
      ? (await steps.transact((unit) => openChallenge(unit, data.challengeToken, secondFactorChallenges))).user
      : null;
    const allowances = allowancesFor(context, 'sign-in', {
      client: { ip: data.ip, rate: 'signInFailuresPerClient' },
      account: { key: user ? emailKey(user.email) : null, rate: 'signInFailuresPerAccount' },
    });
    await requireAllowances(context, allowances, started);
    const outcome = await steps.transact(async (unit): Promise<SignInResult | null> => {
      const {
        token,
        user: current,
        organization,
      } = await openChallenge(unit, data.challengeToken, secondFactorChallenges);
      if (!(await proven(unit, current, data.method, data.code))) {
        // Recorded, not thrown: a throw would roll the count back with the rest.
        await recordFailure(unit, current.id, 'wrong-code');
        return null;
      }
      if (!(await unit.tx.tokens.consume(token.digest, unit.now))) {
        throw new TenantryError('TOKEN_INVALID', 'This sign-in has expired; sign in again');
      }
      if (data.method === 'recovery-code') {
        unit.record('recovery-code.used', {
          organizationId: organization.id,
          targetId: current.id,
          actor: { type: 'user', userId: current.id },
          metadata: { left: await unit.tx.recoveryCodes.countUnused(current.id) },
        });
        unit.send({ kind: 'recovery-code-used', user: current, organization });
      }
      const client = { ip: data.ip, userAgent: data.userAgent };
      return finishSignIn(unit, current, organization, [firstFactorOf(token), data.method], client, null);
    });
    if (outcome) return outcome;
    await spendAllowances(context, allowances, started);
    throw wrongCode();
  },
});

/** Whether the code proves one of the user's confirmed factors (a recovery code only while they have one). */
async function proven(unit: Unit, user: User, method: string, code: string): Promise<boolean> {
  const factors = await confirmedFactors(unit, user.id);
  if (method === 'totp') {
    return (
      (await proveTotp(
        unit,
        factors.filter((factor) => factor.type === 'totp'),
        code,
      )) !== null
    );
  }
  return factors.length > 0 && (await proveRecoveryCode(unit, user, code));
}
