import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import { saveOrganization } from '../../flows/organization-writes.js';
import { changedSecurityPolicy } from '../../rules/second-factor-policy.js';
import { idSchema } from '../../schemas/common.js';
import { securityPolicySchema } from '../../schemas/factors.js';
import type { Organization } from '../../types.js';
import { defineOperation } from '../operation.js';

/**
 * `organizations.setSecurityPolicy`: whether the organization's users need a
 * second factor (`optional`, `required`, `required-for-admins`) and the
 * grace period for enrolling one (days; 0: at the next sign-in), and whether
 * its users must sign in through its SSO connection (`ssoRequired`, which
 * needs an enabled connection; its admins keep their passwords). By its
 * administrators or the operator. A stricter requirement starts the grace
 * period anew; sub-organizations are held to the strictest of their chain.
 */
export const setSecurityPolicy = defineOperation({
  name: 'organizations.setSecurityPolicy',
  input: z.tuple([idSchema, securityPolicySchema]),
  async run(unit, [id, change]): Promise<Organization> {
    const organization = await unit.organizationFor(id, 'administer', { forUpdate: true });
    const securityPolicy = changedSecurityPolicy(organization.securityPolicy, change, unit.now);
    if (securityPolicy.ssoRequired && !organization.securityPolicy.ssoRequired) {
      // Requiring SSO without a way to sign in by it would leave only the admins a way in.
      const connections = await unit.tx.ssoConnections.enabledFor([organization.id]);
      if (connections.length === 0) {
        throw new TenantryError('CONFLICT', 'Connect and enable an identity provider before requiring SSO');
      }
    }
    const updated = { ...organization, securityPolicy, updatedAt: unit.now };
    return saveOrganization(unit, organization, updated, 'organization.security-policy.changed', ['securityPolicy']);
  },
});
