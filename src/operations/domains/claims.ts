import { z } from 'zod';
import { domainTakenError } from '../../errors.js';
import { enforce, notFound } from '../../flows/unit.js';
import type { StoredDomain } from '../../ports/sso-storage.js';
import { checkClaimableDomain } from '../../rules/domains.js';
import { idSchema } from '../../schemas/common.js';
import { domainSchema } from '../../schemas/domains.js';
import { newSecretToken } from '../../secrets/one-time-token.js';
import type { Domain } from '../../sso-types.js';
import { defineOperation } from '../operation.js';
import { claimOf, domainView } from './domain-view.js';
import { publicMailDomains } from './public-mail-domains.js';

/**
 * `domains.add`: the organization claims a mail domain, pending until the
 * TXT record it answers is published and `domains.verify` finds it. By its
 * administrators or the operator. Public mail providers' domains are
 * refused (`VALIDATION_FAILED`, `details.reason: 'public-mail-domain'`); a
 * domain another organization verified is `CONFLICT`. Claiming a domain the
 * organization claimed already answers that claim as it is, with the same
 * record, so a retried request changes nothing (and writes no event).
 */
export const addDomain = defineOperation({
  name: 'domains.add',
  input: z.tuple([idSchema, domainSchema]),
  async run(unit, [organizationId, domain]): Promise<Domain> {
    const { recordPrefix } = unit.context.domainVerification;
    enforce(checkClaimableDomain(domain, publicMailDomains(), recordPrefix));
    const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
    const holder = await unit.tx.domains.verifiedClaim(domain);
    // Which organization holds it is theirs to know: the refusal says only that one does. A pending claim of
    // this organization's own is refused too, as it can never be verified now.
    if (holder && holder.organizationId !== organization.id) throw domainTakenError(domain);
    const existing = await unit.tx.domains.get(organization.id, domain);
    if (existing) return domainView(existing, recordPrefix);
    const claim: StoredDomain = {
      organizationId: organization.id,
      domain,
      verificationToken: newSecretToken(),
      createdAt: unit.now,
      verifiedAt: null,
    };
    await unit.tx.domains.insert(claim);
    unit.record('domain.added', { organizationId: organization.id, targetId: domain });
    return domainView(claim, recordPrefix);
  },
});

/** `domains.list`: the organization's claims, pending and verified, by domain; for its administrators or the operator. */
export const listDomains = defineOperation({
  name: 'domains.list',
  input: z.tuple([idSchema]),
  async run(unit, [organizationId]): Promise<Domain[]> {
    const organization = await unit.organizationFor(organizationId, 'administer');
    const claims = await unit.tx.domains.forOrganization(organization.id);
    return claims.map((claim) => domainView(claim, unit.context.domainVerification.recordPrefix));
  },
});

/**
 * `domains.remove`: the organization gives a claim up, verified or not
 * (`NOT_FOUND` when it has none); a verified domain is then free for another
 * organization to verify. By its administrators or the operator.
 */
export const removeDomain = defineOperation({
  name: 'domains.remove',
  input: z.tuple([idSchema, domainSchema]),
  async run(unit, [organizationId, domain]): Promise<void> {
    const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
    const claim = await claimOf(unit, organization.id, domain);
    if (!(await unit.tx.domains.remove(organization.id, domain)))
      throw notFound('This organization has not claimed this domain');
    unit.record('domain.removed', {
      organizationId: organization.id,
      targetId: domain,
      metadata: { status: claim.verifiedAt ? 'verified' : 'pending' },
    });
  },
});
