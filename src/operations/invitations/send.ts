import { z } from 'zod';
import { issueInvitation } from '../../flows/invitations.js';
import { mayMailLink, urlOf } from '../../flows/one-time-links.js';
import { changeableUser } from '../../flows/user-target.js';
import { idSchema } from '../../schemas/common.js';
import { defineOperation } from '../operation.js';

/**
 * `invitations.send`: mails the invitation again (even when the user turned
 * informational mail off), within the administrators' mail budget; earlier
 * links stop working. Past the budget nothing is issued or sent (`sent: false`).
 */
export const sendInvitation = defineOperation({
  name: 'invitations.send',
  input: z.tuple([idSchema]),
  async execute(steps, [userId]) {
    const outcome = await steps.transact(async (unit) => {
      const { user, organization } = await changeableUser(unit, userId, 'access');
      if (user.status === 'pending' && !(await mayMailLink(unit, user, 'admin'))) {
        return { expiresAt: unit.now, mail: null };
      }
      const link = await issueInvitation(unit, user);
      unit.record('invitation.sent', {
        organizationId: organization.id,
        targetId: user.id,
        metadata: { expiresAt: link.expiresAt.toISOString() },
      });
      return { expiresAt: link.expiresAt, mail: unit.send({ kind: 'invitation', user, organization, link }) };
    });
    return { expiresAt: outcome.expiresAt, sent: outcome.mail ? await outcome.mail.delivered : false };
  },
});

/** `invitations.createLink`: a fresh invitation link to hand over by hand; earlier links stop working. */
export const createInvitationLink = defineOperation({
  name: 'invitations.createLink',
  input: z.tuple([idSchema]),
  async run(unit, [userId]) {
    const { user, organization } = await changeableUser(unit, userId, 'access');
    const link = await issueInvitation(unit, user);
    unit.record('invitation.link.created', {
      organizationId: organization.id,
      targetId: user.id,
      metadata: { expiresAt: link.expiresAt.toISOString() },
    });
    return { link: urlOf(unit, link), expiresAt: link.expiresAt };
  },
});
