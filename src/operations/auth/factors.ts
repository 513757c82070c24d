import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { enroller, giveRecoveryCodes } from '../../flows/factor-enrollment.js';
import { confirmedFactors, type Factor, factorStanding, factorView } from '../../flows/second-factors.js';
import { enforce, notFound } from '../../flows/unit.js';
import { checkFactorRemoval } from '../../rules/second-factor-policy.js';
import { opaqueTokenSchema } from '../../schemas/common.js';
import { removeFactorSchema } from '../../schemas/factors.js';
import { defineOperation } from '../operation.js';

/** `auth.listFactors`: the signed-in user's confirmed factors, oldest first, without secrets. */
export const listFactors = defineOperation({
  name: 'auth.listFactors',
  input: z.tuple([opaqueTokenSchema]),
  async run(unit, [sessionToken]): Promise<Factor[]> {
    const { user } = await enroller(unit, { sessionToken }, 'read');
    return (await confirmedFactors(unit, user.id)).map(factorView);
  },
});

/**
 * `auth.removeFactor`: removes one of the signed-in user's factors, mailing
 * them. Their last one, while their organization's policy asks a second
 * factor of them, is `MFA_REQUIRED`; with the last one go the recovery codes.
 */
export const removeFactor = defineOperation({
  name: 'auth.removeFactor',
  input: z.tuple([removeFactorSchema]),
  async run(unit, [{ sessionToken, factorId }]): Promise<void> {
    const { user, organization } = await enroller(unit, { sessionToken });
    const standing = await factorStanding(unit, user);
    const factor = standing.factors.find((candidate) => candidate.id === factorId);
    if (!factor) throw notFound('No such factor');
    const confirmedLeft = standing.factors.length - 1;
    enforce(checkFactorRemoval({ required: standing.required, confirmedLeft }));
    await unit.tx.factors.remove(user.id, factor.id);
    if (confirmedLeft === 0) await unit.tx.recoveryCodes.removeForUser(user.id);
    unit.record('factor.removed', {
      organizationId: organization.id,
      targetId: user.id,
      actor: { type: 'user', userId: user.id },
      metadata: { factorId: factor.id, type: factor.type, label: factor.label },
    });
    unit.send({ kind: 'factor-removed', user, organization });
  },
});

/** `auth.regenerateRecoveryCodes`: ten new recovery codes for the signed-in user, shown once; the old ones stop working. */
export const regenerateRecoveryCodes = defineOperation({
  name: 'auth.regenerateRecoveryCodes',
  input: z.tuple([opaqueTokenSchema]),
  async run(unit, [sessionToken]): Promise<{ recoveryCodes: string[] }> {
    const { user } = await enroller(unit, { sessionToken });
    if ((await confirmedFactors(unit, user.id)).length === 0) {
      throw new TenantryError('CONFLICT', 'Recovery codes come with a second factor: add one first');
    }
    return { recoveryCodes: await giveRecoveryCodes(unit, user) };
  },
});
