import { z } from 'zod';
import type { FactorConfirmation, TotpEnrollment } from '../../auth-types.js';
import { TenantryError } from '../../errors.js';
import { enroller, finishEnrollment, giveRecoveryCodes, recordFactorAdded } from '../../flows/factor-enrollment.js';
import {
  confirmedFactors,
  factorView,
  proveTotp,
  requireSealing,
  totpSealContext,
} from '../../flows/second-factors.js';
import { notFound } from '../../flows/unit.js';
import { newId } from '../../random.js';
import { confirmTotpSchema, enrollTotpSchema } from '../../schemas/factors.js';
import { TOTP_SECRET_BYTES, totpSecretText, totpUri } from '../../secrets/totp.js';
import { defineOperation } from '../operation.js';

const expiredSignIn = () => new TenantryError('TOKEN_INVALID', 'This sign-in has expired; sign in again');

/**
 * `auth.enrollTotp`: a new TOTP secret for the signed-in user (or a sign-in
 * waiting for its first factor), stored sealed and unconfirmed until
 * `confirmTotp` proves a first code. An earlier unconfirmed enrollment of
 * theirs is dropped.
 */
export const enrollTotp = defineOperation({
  name: 'auth.enrollTotp',
  input: z.tuple([enrollTotpSchema]),
  async run(unit, [input]): Promise<TotpEnrollment> {
    requireSealing(unit);
    const { user } = await enroller(unit, input);
    for (const factor of await unit.tx.factors.forUser(user.id)) {
      if (factor.type === 'totp' && factor.confirmedAt === null) await unit.tx.factors.remove(user.id, factor.id);
    }
    const secret = unit.context.randomBytes(TOTP_SECRET_BYTES);
    const id = newId('fac');
    const sealed = unit.context.secrets.seal(Buffer.from(secret).toString('base64'), totpSealContext(id));
    await unit.tx.factors.insert({
      id,
      userId: user.id,
      organizationId: user.organizationId,
      type: 'totp',
      label: input.label ?? 'Authenticator app',
      createdAt: unit.now,
      confirmedAt: null,
      lastUsedAt: null,
      secret: sealed,
      lastStep: null,
      credentialId: null,
      publicKey: null,
      counter: 0,
      transports: [],
    });
    return {
      enrollmentId: id,
      secret: totpSecretText(secret),
      uri: totpUri(unit.context.policy.mfa.issuer, user.email, secret),
    };
  },
});

/**
 * `auth.confirmTotp`: the first code of an enrollment confirms it (the code
 * is then used: it cannot sign in again). The user's first factor brings
 * ten recovery codes, shown once. With a challenge, the sign-in that waited
 * for the enrollment ends with its session.
 */
export const confirmTotp = defineOperation({
  name: 'auth.confirmTotp',
  input: z.tuple([confirmTotpSchema]),
  async run(unit, [input]): Promise<FactorConfirmation> {
    const enrolled = await enroller(unit, input);
    const { user } = enrolled;
    const factor = await unit.tx.factors.get(input.enrollmentId);
    if (!factor || factor.userId !== user.id || factor.type !== 'totp' || factor.confirmedAt !== null) {
      throw notFound('No such enrollment');
    }
    if (!(await proveTotp(unit, [factor], input.code))) {
      throw new TenantryError('INVALID_CREDENTIALS', 'The code is incorrect', { field: 'code' });
    }
    const hadFactor = (await confirmedFactors(unit, user.id)).length > 0;
    if (!(await unit.tx.factors.confirm(factor.id, unit.now))) throw notFound('No such enrollment');
    const recoveryCodes = hadFactor ? [] : await giveRecoveryCodes(unit, user);
    const confirmed = { ...factor, confirmedAt: unit.now, lastUsedAt: unit.now };
    recordFactorAdded(unit, enrolled, confirmed);
    const answer: FactorConfirmation = { factor: factorView(confirmed), recoveryCodes };
    return finishEnrollment(unit, enrolled, answer, 'totp', expiredSignIn);
  },
});
