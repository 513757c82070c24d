import { z } from 'zod';
import { domainTakenError, TenantryError } from '../../errors.js';
import { notFound } from '../../flows/unit.js';
import { verificationFailureMessage, verificationRecord } from '../../rules/domains.js';
import { idSchema } from '../../schemas/common.js';
import { domainSchema } from '../../schemas/domains.js';
import type { Domain } from '../../sso-types.js';
import { defineOperation } from '../operation.js';
import { claimOf, domainView } from './domain-view.js';
import { lookUpVerification } from './lookup.js';

/**
 * `domains.verify`: looks the claim's TXT record up and, when DNS holds it,
 * marks the domain verified for the organization (`domain.verified`). By
 * its administrators or the operator.
 *
 * When the record is not found the answer is `DOMAIN_UNVERIFIED` with
 * `details.reason` (`record-missing`, `record-mismatch`, `lookup-failed`,
 * `timeout`), and nothing changes but the audit event
 * `domain.verification-failed`. Verifying a verified domain checks the
 * record again and refreshes `verifiedAt`; should that check fail, the
 * answer is `DOMAIN_UNVERIFIED` and the domain stays verified: a DNS outage
 * or a record tidied away must not switch a company's sign-in off. When
 * another organization verified the domain first, `CONFLICT`.
 */
export const verifyDomain = defineOperation({
  name: 'domains.verify',
  input: z.tuple([idSchema, domainSchema]),
  async execute(steps, [organizationId, domain]): Promise<Domain> {
    const { recordPrefix } = steps.context.domainVerification;
    const claim = await steps.transact(async (unit) => {
      const organization = await unit.organizationFor(organizationId, 'administer');
      return claimOf(unit, organization.id, domain);
    });
    const record = verificationRecord(claim.domain, claim.verificationToken, recordPrefix);
    // DNS may take seconds: it is asked between transactions, holding no connection and no lock.
    const outcome = await lookUpVerification(steps.context, record);
    if (outcome !== 'verified') {
      await steps.transact(async (unit) => {
        const organization = await unit.organizationFor(organizationId, 'administer');
        unit.record('domain.verification-failed', {
          organizationId: organization.id,
          targetId: domain,
          metadata: { reason: outcome, recordName: record.recordName },
        });
      });
      throw new TenantryError('DOMAIN_UNVERIFIED', verificationFailureMessage(outcome, record.recordName), {
        reason: outcome,
        domain,
        status: claim.verifiedAt ? 'verified' : 'pending',
      });
    }
    return steps.transact(async (unit) => {
      const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
      const current = await claimOf(unit, organization.id, domain);
      if (current.verificationToken !== claim.verificationToken) {
        throw new TenantryError('CONFLICT', 'The claim was made anew while its record was looked up; verify again', {
          domain,
        });
      }
      const holder = await unit.tx.domains.verifiedClaim(domain);
      if (holder && holder.organizationId !== organization.id) {
        throw domainTakenError(domain);
      }
      // Two organizations verifying at once: the storage's unique index lets one through, the other gets CONFLICT.
      if (!(await unit.tx.domains.markVerified(organization.id, domain, unit.now))) {
        throw notFound('This organization has not claimed this domain');
      }
      unit.record('domain.verified', {
        organizationId: organization.id,
        targetId: domain,
        changes: { verifiedAt: { before: current.verifiedAt, after: unit.now } },
      });
      return domainView({ ...current, verifiedAt: unit.now }, recordPrefix);
    });
  },
});
