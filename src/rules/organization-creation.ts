import { CUSTOMERS_MANAGE } from '../built-in-permissions.js';
import type { Organization, OrganizationKind } from '../types.js';
import { type ActorFacts, actsAsPlatform } from './actor.js';
import { organizationAccess, requireAccess } from './administration-scope.js';
import { allowed, type Decision, refuse } from './decision.js';

/** A proposed new organization, with the organizations it hangs from already loaded. */
export interface OrganizationCreation {
  actor: ActorFacts;
  kind: OrganizationKind;
  /** The parent and its ancestors, when `parentId` was given. */
  parentChain: readonly Organization[] | null;
  /** The serving partner, when `partnerId` was given. */
  partner: Organization | null;
  /** True when the input sets `features`, `allowedRoles` or `attributes`: the operator's to set. */
  setsOperatorFields: boolean;
}

/**
 * Who may create which organization: the operator any; a customer manager a
 * customer of their own partner organization; whoever administers an
 * organization a sub-organization under it. Only the operator creates
 * partners and top-level companies, or sets features, allowed roles and attributes.
 */
export function checkOrganizationCreation(creation: OrganizationCreation): Decision {
  const { actor, kind, parentChain, partner } = creation;
  // Cross-tenant first: another tenant's organization must not be probed by its kind.
  if (partner && !actsAsPlatform(actor) && partner.id !== actor.organizationId) return refuse('NOT_FOUND', 'Not found');
  if (partner && partner.kind !== 'partner') {
    return refuse('VALIDATION_FAILED', 'partnerId must name a partner organization', { partnerId: partner.id });
  }
  if (actsAsPlatform(actor)) return allowed;

  if (partner) {
    if (!actor.permissions.has(CUSTOMERS_MANAGE)) {
      return refuse('FORBIDDEN', 'Only customer managers may create customers');
    }
  }
  if (parentChain) {
    const parentAccess = requireAccess(organizationAccess(actor, parentChain), 'administer');
    if (!parentAccess.ok) return parentAccess;
  }
  if (!partner && !parentChain) {
    return refuse('FORBIDDEN', 'Only the operator may create top-level organizations');
  }
  if (kind !== 'standard' || creation.setsOperatorFields) {
    return refuse('FORBIDDEN', 'Only the operator may set kind, features, allowed roles or attributes');
  }
  return allowed;
}
