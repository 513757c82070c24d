import { z } from 'zod';
import { emailKey, nameFromEmail, normalizeEmail } from '../../email.js';
import type { ErrorCode } from '../../error-codes.js';
import { recordTakenAddresses } from '../../flows/address-probes.js';
import { checkNewUserGrants } from '../../flows/grants.js';
import { mailInvitation } from '../../flows/invitations.js';
import type { MailReceipt } from '../../flows/unit.js';
import { newUser } from '../../flows/user-records.js';
import { insertUser } from '../../flows/user-writes.js';
import { idSchema, keyListSchema } from '../../schemas/common.js';
import { storableText } from '../../schemas/text.js';
import type { UserView } from '../../types.js';
import { defineOperation } from '../operation.js';

/** At most this many addresses in one call; bigger lists belong in an import. */
export const MAX_INVITED_ADDRESSES = 1_000;

/** Input of `invitations.inviteByEmail`. */
export const inviteByEmailSchema = z.strictObject({
  organizationId: idSchema,
  emails: z.array(storableText(320)).min(1).max(MAX_INVITED_ADDRESSES),
  roles: keyListSchema.default([]),
  permissions: keyListSchema.default([]),
  send: z.boolean().default(true),
});

/** What `invitations.inviteByEmail` answers. */
export interface InviteByEmailResult {
  /** New pending users, named after their address. */
  created: UserView[];
  /** Addresses that already belong to users of the organization; those users are left as they are. */
  matched: UserView[];
  /**
   * Addresses that are not valid or give no name to call the person by
   * (`VALIDATION_FAILED`), or belong to another organization (`EMAIL_TAKEN`).
   */
  rejected: { email: string; code: ErrorCode }[];
}

/**
 * `invitations.inviteByEmail`: a user for every new address in the list, with
 * the same roles and permissions, invited now (`send`) or later. The grants
 * are checked once, as for `users.add`; each address succeeds or fails on its
 * own, and repeats of an address count once. The answer comes once the
 * invitations were handed to the mail server.
 */
export const inviteByEmail = defineOperation({
  name: 'invitations.inviteByEmail',
  input: z.tuple([inviteByEmailSchema]),
  async execute(steps, [{ organizationId, emails, roles, permissions, send }]): Promise<InviteByEmailResult> {
    const mails: MailReceipt[] = [];
    const result = await steps.transact(async (unit) => {
      const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
      await checkNewUserGrants(unit, organization, { permissions, roles });
      const answer: InviteByEmailResult = { created: [], matched: [], rejected: [] };
      const seen = new Set<string>();
      for (const raw of emails) {
        const email = normalizeEmail(raw);
        const name = email === null ? null : nameFromEmail(email);
        // An address that gives no name (`+tag@x`) would make a user nobody can call by name.
        if (email === null || name === null) {
          answer.rejected.push({ email: raw, code: 'VALIDATION_FAILED' });
          continue;
        }
        if (seen.has(emailKey(email))) continue;
        seen.add(emailKey(email));
        const existing = await unit.tx.users.getByEmail(email);
        if (existing?.organizationId === organization.id) {
          answer.matched.push(await unit.view(existing, organization));
        } else if (existing) {
          answer.rejected.push({ email, code: 'EMAIL_TAKEN' });
        } else {
          const user = newUser(unit.now, organization.id, { email, ...name, roles, permissions });
          await insertUser(unit, organization, user);
          answer.created.push(await unit.view(user, organization));
          if (send) mails.push(await mailInvitation(unit, user, organization, 'bulk'));
        }
      }
      const taken = answer.rejected.filter((rejection) => rejection.code === 'EMAIL_TAKEN').length;
      recordTakenAddresses(unit, organization.id, taken, { call: 'invitations.inviteByEmail' });
      return answer;
    });
    await Promise.all(mails.map((mail) => mail.delivered));
    return result;
  },
});
