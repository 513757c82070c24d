import { z } from 'zod';
import { emailKey, nameFromEmail, normalizeEmail } from '../email.js';
import type { ErrorCode } from '../error-codes.js';
import type { PendingMail } from '../mail/delivery.js';
import { idSchema, keyListSchema } from '../schemas/common.js';
import { parseInput } from '../schemas/parse.js';
import { storableText } from '../schemas/text.js';
import type { UserView } from '../types.js';
import { recordTakenAddresses } from './address-probes.js';
import type { Unit } from './unit.js';
import { checkNewUserGrants, createUser } from './users.js';

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
 * own, and repeats of an address count once.
 */
export async function inviteByEmail(
  unit: Unit,
  input: unknown,
): Promise<InviteByEmailResult & { mails: PendingMail[] }> {
  const { organizationId, emails, roles, permissions, send } = parseInput(inviteByEmailSchema, input);
  const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
  await checkNewUserGrants(unit, organization, { permissions, roles });
  const result: InviteByEmailResult & { mails: PendingMail[] } = { created: [], matched: [], rejected: [], mails: [] };
  const seen = new Set<string>();
  for (const raw of emails) {
    const email = normalizeEmail(raw);
    const name = email === null ? null : nameFromEmail(email);
    // An address that gives no name (`+tag@x`) would make a user nobody can call by name.
    if (email === null || name === null) {
      result.rejected.push({ email: raw, code: 'VALIDATION_FAILED' });
      continue;
    }
    if (seen.has(emailKey(email))) continue;
    seen.add(emailKey(email));
    const existing = await unit.tx.users.getByEmail(email);
    if (existing?.organizationId === organization.id) {
      result.matched.push(await unit.view(existing, organization));
    } else if (existing) {
      result.rejected.push({ email, code: 'EMAIL_TAKEN' });
    } else {
      const fields = { email, ...name, roles, permissions };
      const { user, invitation } = await createUser(unit, organization, fields, send, 'bulk');
      result.created.push(user);
      if (invitation) result.mails.push(invitation);
    }
  }
  const taken = result.rejected.filter((rejection) => rejection.code === 'EMAIL_TAKEN').length;
  recordTakenAddresses(unit, organization.id, taken, { call: 'invitations.inviteByEmail' });
  return result;
}
