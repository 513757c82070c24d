import { z } from 'zod';
import { checkNewUserGrants } from '../../flows/grants.js';
import { mailInvitation } from '../../flows/invitations.js';
import { checkFieldValues, withFieldValues } from '../../flows/profile-fields.js';
import { enforce } from '../../flows/unit.js';
import { newUser } from '../../flows/user-records.js';
import { insertUser } from '../../flows/user-writes.js';
import { checkNewExpiry } from '../../rules/user-conditions.js';
import { addUserSchema } from '../../schemas/users.js';
import { defineOperation } from '../operation.js';
import { recordingTakenAddress } from './taken-address.js';

/**
 * `users.add`: a new pending user in an organization the actor administers,
 * invited by mail when asked, the user can sign in and takes mail.
 */
export const addUser = defineOperation({
  name: 'users.add',
  input: z.tuple([addUserSchema]),
  async execute(steps, [{ organizationId, invite, fields: values, ...fields }]) {
    const { user, invitation } = await recordingTakenAddress(steps, 'users.add', organizationId, () =>
      steps.transact(async (unit) => {
        const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
        enforce(checkNewExpiry(fields.expiresAt, unit.now, 'expiresAt'));
        await checkNewUserGrants(unit, organization, fields);
        // At creation the admin sets every profile value, whoever may change it later.
        const profile = withFieldValues({}, checkFieldValues(unit.context.fields, values));
        // A taken address (compared case-insensitively) is refused by the insert itself: EMAIL_TAKEN.
        const created = newUser(unit.now, organization.id, { ...fields, fields: profile });
        await insertUser(unit, organization, created);
        const mailed = invite && created.canSignIn && created.emailNotifications;
        return {
          user: await unit.view(created, organization, { newUser: true }),
          invitation: mailed ? await mailInvitation(unit, created, organization) : null,
        };
      }),
    );
    return { user, invitationSent: invitation ? await invitation.delivered : false };
  },
});
