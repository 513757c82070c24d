import { encodeBase64urlNoPadding } from '@oslojs/encoding';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import { z } from 'zod';
import type { FactorConfirmation } from '../../auth-types.js';
import { enroller, finishEnrollment, giveRecoveryCodes, recordFactorAdded } from '../../flows/factor-enrollment.js';
import { confirmedFactors, factorView } from '../../flows/second-factors.js';
import {
  descriptorsOf,
  issueWebAuthnChallenge,
  passkeyRefused,
  redeemWebAuthnChallenge,
  relyingParty,
  type WebAuthnResponse,
} from '../../flows/webauthn.js';
import { newId } from '../../random.js';
import { passkeyRegistrationOptionsSchema, registerPasskeySchema } from '../../schemas/factors.js';
import { defineOperation } from '../operation.js';

/**
 * `auth.passkeyRegistrationOptions`: the options for `navigator.credentials.create`
 * to register a passkey for the signed-in user (or a sign-in waiting for its
 * first factor): a fresh single-use challenge, the user's passkeys excluded,
 * a discoverable credential preferred (for sign-in without a password).
 */
export const passkeyRegistrationOptions = defineOperation({
  name: 'auth.passkeyRegistrationOptions',
  input: z.tuple([passkeyRegistrationOptionsSchema]),
  async run(unit, [input]): Promise<{ options: unknown }> {
    const { user } = await enroller(unit, input);
    const { rpID, rpName } = relyingParty(unit);
    const challenge = await issueWebAuthnChallenge(unit, 'registration', user.id);
    const options = await generateRegistrationOptions({
      rpID,
      rpName,
      userName: user.email,
      userDisplayName: `${user.firstName} ${user.lastName}`,
      userID: new TextEncoder().encode(user.id),
      challenge,
      attestationType: 'none',
      excludeCredentials: descriptorsOf(await unit.tx.factors.forUser(user.id)),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    return { options };
  },
});

/**
 * `auth.registerPasskey`: verifies the authenticator's answer to a
 * registration challenge issued to this user, and keeps the passkey (its
 * credential id, public key and counter); the first factor brings ten
 * recovery codes. With a challenge, the sign-in that waited for it ends with
 * its session. A passkey registered already is `CONFLICT`.
 */
export const registerPasskey = defineOperation({
  name: 'auth.registerPasskey',
  input: z.tuple([registerPasskeySchema]),
  async run(unit, [input]): Promise<FactorConfirmation> {
    const enrolled = await enroller(unit, input);
    const { user } = enrolled;
    const response = input.response as unknown as WebAuthnResponse;
    const { challenge, userId } = await redeemWebAuthnChallenge(unit, response, 'registration');
    if (userId !== user.id) throw passkeyRefused();
    const { rpID, origins } = relyingParty(unit);
    const verification = await verifyRegistrationResponse({
      response: input.response as Parameters<typeof verifyRegistrationResponse>[0]['response'],
      expectedChallenge: challenge,
      expectedOrigin: origins,
      expectedRPID: rpID,
      requireUserVerification: false,
    }).catch(() => null);
    if (!verification?.verified) throw passkeyRefused();
    const { credential } = verification.registrationInfo;
    const hadFactor = (await confirmedFactors(unit, user.id)).length > 0;
    const factor = {
      id: newId('fac'),
      userId: user.id,
      organizationId: user.organizationId,
      type: 'passkey' as const,
      label: input.label ?? 'Passkey',
      createdAt: unit.now,
      confirmedAt: unit.now,
      lastUsedAt: null,
      secret: null,
      lastStep: null,
      credentialId: credential.id,
      publicKey: encodeBase64urlNoPadding(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
    };
    await unit.tx.factors.insert(factor);
    const recoveryCodes = hadFactor ? [] : await giveRecoveryCodes(unit, user);
    recordFactorAdded(unit, enrolled, factor);
    const answer: FactorConfirmation = { factor: factorView(factor), recoveryCodes };
    return finishEnrollment(unit, enrolled, answer, 'passkey', passkeyRefused);
  },
});
