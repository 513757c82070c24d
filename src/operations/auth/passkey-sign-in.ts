import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { z } from 'zod';
import type { SignInResult } from '../../auth-types.js';
import { emailKey } from '../../email.js';
import { allowancesFor, requireAllowances, spendAllowances } from '../../flows/allowances.js';
import { openChallenge } from '../../flows/second-factors.js';
import { recordFailure } from '../../flows/sign-in.js';
import { firstFactorOf, secondFactorChallenges } from '../../flows/sign-in-challenges.js';
import { finishSignIn } from '../../flows/sign-in-steps.js';
import type { Unit } from '../../flows/unit.js';
import {
  credentialOf,
  descriptorsOf,
  issueWebAuthnChallenge,
  passkeyRefused,
  redeemWebAuthnChallenge,
  relyingParty,
  type WebAuthnResponse,
} from '../../flows/webauthn.js';
import type { AuthenticationMethod } from '../../ports/identity-storage.js';
import { mayHoldSession, standing } from '../../rules/account-standing.js';
import { isLocked } from '../../rules/user-conditions.js';
import { passkeyOptionsSchema, verifyPasskeySchema } from '../../schemas/factors.js';
import type { Organization, User } from '../../types.js';
import { defineOperation } from '../operation.js';

/**
 * `auth.passkeyOptions`: the options for `navigator.credentials.get`. With
 * the challenge of a sign-in waiting for a second factor, the user's
 * passkeys are allowed; without, any discoverable passkey of the
 * installation may answer (sign-in without a password), and the user must be
 * verified by the authenticator (a PIN, a fingerprint).
 */
export const passkeyOptions = defineOperation({
  name: 'auth.passkeyOptions',
  input: z.tuple([passkeyOptionsSchema]),
  async run(unit, [input]): Promise<{ options: unknown }> {
    const { rpID } = relyingParty(unit);
    if (input.challengeToken === undefined) {
      const challenge = await issueWebAuthnChallenge(unit, 'authentication', null);
      return { options: await generateAuthenticationOptions({ rpID, challenge, userVerification: 'required' }) };
    }
    const { user } = await openChallenge(unit, input.challengeToken, secondFactorChallenges);
    const challenge = await issueWebAuthnChallenge(unit, 'authentication', user.id);
    const allowCredentials = descriptorsOf(await unit.tx.factors.forUser(user.id));
    return {
      options: await generateAuthenticationOptions({
        rpID,
        challenge,
        allowCredentials,
        userVerification: 'preferred',
      }),
    };
  },
});

type Outcome = { result: SignInResult } | { failedUser: User | null };

/**
 * `auth.verifyPasskey`: a passkey's answer finishes a sign-in waiting for a
 * second factor, or, without a challenge, signs in on its own (a
 * discoverable passkey whose authenticator verified the user). A signature
 * counter that did not move forward (a cloned authenticator) is refused and
 * recorded; a failure counts toward the owner's lockout and allowances.
 */
export const verifyPasskey = defineOperation({
  name: 'auth.verifyPasskey',
  input: z.tuple([verifyPasskeySchema]),
  async execute(steps, [data]): Promise<SignInResult> {
    const { context } = steps;
    const started = context.clock.now();
    const response = data.response as unknown as WebAuthnResponse;
    const owner = await steps.transact(async (unit) => {
      const factor = await unit.tx.factors.byCredentialId(response.id);
      return factor ? unit.tx.users.get(factor.userId) : null;
    });
    const allowances = allowancesFor(context, 'sign-in', {
      client: { ip: data.ip, rate: 'signInFailuresPerClient' },
      account: { key: owner ? emailKey(owner.email) : null, rate: 'signInFailuresPerAccount' },
    });
    await requireAllowances(context, allowances, started);
    const outcome = await steps.transact((unit) => verified(unit, data, response));
    if ('result' in outcome) return outcome.result;
    await spendAllowances(context, allowances, started);
    const failed = outcome.failedUser;
    if (failed) await steps.transact((unit) => recordFailure(unit, failed.id, 'wrong-code'));
    throw passkeyRefused();
  },
});

async function verified(
  unit: Unit,
  data: z.output<typeof verifyPasskeySchema>,
  response: WebAuthnResponse,
): Promise<Outcome> {
  const { challenge, userId } = await redeemWebAuthnChallenge(unit, response, 'authentication');
  const factor = await unit.tx.factors.byCredentialId(response.id);
  if (!factor || factor.confirmedAt === null || (userId !== null && userId !== factor.userId)) {
    return { failedUser: null };
  }
  const waiting =
    data.challengeToken === undefined ? null : await openChallenge(unit, data.challengeToken, secondFactorChallenges);
  if (waiting && waiting.user.id !== factor.userId) return { failedUser: null };
  const user = waiting?.user ?? (await unit.tx.users.get(factor.userId, { forUpdate: true }));
  if (!user || !mayHoldSession(standing(user, unit.now)) || isLocked(user, unit.now)) return { failedUser: user };
  const { rpID, origins } = relyingParty(unit);
  const check = await verifyAuthenticationResponse({
    response: data.response as Parameters<typeof verifyAuthenticationResponse>[0]['response'],
    expectedChallenge: challenge,
    expectedOrigin: origins,
    expectedRPID: rpID,
    credential: credentialOf(factor),
    requireUserVerification: waiting === null,
  }).catch(() => null);
  if (!check?.verified) return { failedUser: user };
  if (!(await unit.tx.factors.useCounter(factor.id, check.authenticationInfo.newCounter, unit.now))) {
    unit.record('passkey.counter-regressed', {
      organizationId: user.organizationId,
      targetId: user.id,
      metadata: { factorId: factor.id, stored: factor.counter, presented: check.authenticationInfo.newCounter },
    });
    return { failedUser: user };
  }
  const organization =
    waiting?.organization ?? ((await unit.tx.organizations.get(user.organizationId)) as Organization);
  if (waiting && !(await unit.tx.tokens.consume(waiting.token.digest, unit.now))) return { failedUser: null };
  const client = { ip: data.ip, userAgent: data.userAgent };
  const methods: AuthenticationMethod[] = waiting ? [firstFactorOf(waiting.token), 'passkey'] : ['passkey'];
  // A passkey alone is a sign-in with a factor the authenticator verified: the policy is met, nothing falls due.
  return { result: await finishSignIn(unit, user, organization, methods, client, null) };
}
