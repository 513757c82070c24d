import { z } from 'zod';
import { reassignContactPerson } from '../../flows/admin-guard.js';
import { endSessions } from '../../flows/session-validation.js';
import { erasedUser } from '../../flows/user-records.js';
import { changedUser } from '../../flows/user-target.js';
import { storeUser } from '../../flows/user-writes.js';
import { idSchema } from '../../schemas/common.js';
import { defineOperation } from '../operation.js';

/** The fields that hold personal data, scrubbed from the user and from audit events about them. */
const personalFields = ['email', 'firstName', 'lastName', 'phone', 'preferences'] as const;

/**
 * `users.erase`: GDPR erasure. Personal data is scrubbed to a tombstone that
 * keeps the id, and from the audit trail's record of changes, so the trail
 * stays valid without the person in it (profile field values included);
 * their resource grants and mail not yet sent to them are dropped. Refused
 * for the last admin.
 */
export const eraseUser = defineOperation({
  name: 'users.erase',
  input: z.tuple([idSchema]),
  guarded: true,
  async run(unit, [id]): Promise<void> {
    const {
      user,
      organization,
      updated: erased,
    } = await changedUser(unit, id, 'erase', (user) => erasedUser(user, unit.now));
    await storeUser(unit, erased);
    const fieldChanges = unit.context.fields.keys.map((key) => `fields.${key}`);
    await unit.tx.audit.redactChanges(user.id, [...personalFields, ...fieldChanges], '[erased]');
    await unit.tx.resources.removeForUser(user.id);
    await unit.tx.factors.removeForUser(user.id);
    await unit.tx.recoveryCodes.removeForUser(user.id);
    // The provider's id of the person is personal data too; a later SSO sign-in finds nobody to link.
    await unit.tx.ssoIdentities.removeForUser(user.id);
    await unit.tx.outbox.removeMailFor(user.id);
    await endSessions(unit, user.id, organization.id, 'erased');
    await unit.tx.tokens.revokeForUser(user.id, unit.now);
    unit.record('user.erased', { organizationId: organization.id, targetId: user.id });
    await reassignContactPerson(unit, organization, erased);
  },
});
