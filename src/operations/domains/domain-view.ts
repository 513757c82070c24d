import { notFound, type Unit } from '../../flows/unit.js';
import type { StoredDomain } from '../../ports/sso-storage.js';
import { verificationRecord } from '../../rules/domains.js';
import type { Domain } from '../../sso-types.js';

/** A claim as the API shows it, with the TXT record that proves it under the installation's prefix. */
export function domainView(claim: StoredDomain, recordPrefix: string): Domain {
  return {
    organizationId: claim.organizationId,
    domain: claim.domain,
    status: claim.verifiedAt ? 'verified' : 'pending',
    verification: verificationRecord(claim.domain, claim.verificationToken, recordPrefix),
    createdAt: claim.createdAt,
    verifiedAt: claim.verifiedAt,
  };
}

/** The organization's claim of the domain, or `NOT_FOUND`. */
export async function claimOf(unit: Unit, organizationId: string, domain: string): Promise<StoredDomain> {
  const claim = await unit.tx.domains.get(organizationId, domain);
  if (!claim) throw notFound('This organization has not claimed this domain');
  return claim;
}
