import type { RoleMapping, SsoAccess } from '../sso-types.js';

/** Why an SSO sign-in signs nobody in (`SSO_FAILED`, `details.reason`). */
export type SsoAccountRefusal =
  /** The provider asserted no address, and no user is linked to the identity yet. */
  | 'email-missing'
  /** The provider says it has not verified the address. */
  | 'email-unverified'
  /** The address is not in a domain the connection's organization has verified. */
  | 'domain-not-verified'
  /** The address, or the linked user, belongs to another organization. */
  | 'user-in-other-organization';

/** What an SSO sign-in does with the identity the provider proved. */
export type SsoAccountDecision =
  /** The identity is linked to this user already. */
  | { outcome: 'linked'; userId: string }
  /** A user of the connection's organization has the address: link the identity to them. */
  | { outcome: 'link'; userId: string }
  /** Nobody has the address: create the user just in time. */
  | { outcome: 'create' }
  | { outcome: 'refuse'; reason: SsoAccountRefusal };

/** What the decision is made from: the provider's word, the installation's records. */
export interface SsoAccountFacts {
  /** The organization the connection belongs to. */
  connectionOrganizationId: string;
  /** The domains that organization has verified, lower case. */
  verifiedDomains: readonly string[];
  /** The address the provider asserted, normalized; null when it asserted none. */
  email: string | null;
  /** Whether the provider says it verified the address: null when it says nothing (SAML, most OIDC providers). */
  emailVerified: boolean | null;
  /** The user the identity is linked to, if any. */
  linkedUser: { id: string; organizationId: string } | null;
  /** The user holding the asserted address, if any. */
  userWithEmail: { id: string; organizationId: string } | null;
}

/** The domain of an address, lower case. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Who an SSO sign-in may sign in, link or create. A connection speaks for
 * its own organization's verified domains only: whatever a provider asserts,
 * it never reaches a user of another organization, nor an address the
 * organization has not proven it owns. Every sign-in needs an asserted
 * address in a verified domain, a linked identity included, so that removing
 * a domain (or a provider changing a user's address to another company's)
 * stops its sign-ins at once.
 */
export function ssoAccountDecision(facts: SsoAccountFacts): SsoAccountDecision {
  const own = (user: { organizationId: string }) => user.organizationId === facts.connectionOrganizationId;
  if (facts.email === null) return { outcome: 'refuse', reason: 'email-missing' };
  if (facts.emailVerified === false) return { outcome: 'refuse', reason: 'email-unverified' };
  if (!facts.verifiedDomains.includes(domainOf(facts.email))) {
    return { outcome: 'refuse', reason: 'domain-not-verified' };
  }
  if (facts.linkedUser) {
    if (!own(facts.linkedUser)) return { outcome: 'refuse', reason: 'user-in-other-organization' };
    // The address may now be another user's of the same organization: the link stands for the person it was made for.
    return { outcome: 'linked', userId: facts.linkedUser.id };
  }
  if (facts.userWithEmail) {
    if (!own(facts.userWithEmail)) return { outcome: 'refuse', reason: 'user-in-other-organization' };
    return { outcome: 'link', userId: facts.userWithEmail.id };
  }
  return { outcome: 'create' };
}

/** The values of a claim as a list of strings (a string, a list of strings; anything else counts for nothing). */
export function claimValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * The access the provider's claims map to: the union of what each value of
 * the mapping's claim maps to, sorted; null when no value maps (or there is
 * no mapping), and the user gets, or keeps, the default access.
 */
export function mappedAccess(mapping: RoleMapping | null, claims: Readonly<Record<string, unknown>>): SsoAccess | null {
  if (!mapping) return null;
  const roles = new Set<string>();
  const permissions = new Set<string>();
  let matched = false;
  for (const value of claimValues(claims[mapping.claim])) {
    const access = Object.hasOwn(mapping.map, value) ? mapping.map[value] : undefined;
    if (!access) continue;
    matched = true;
    for (const role of access.roles) roles.add(role);
    for (const permission of access.permissions) permissions.add(permission);
  }
  return matched ? { roles: [...roles].sort(), permissions: [...permissions].sort() } : null;
}

/**
 * Where the browser may be sent after signing in: a path of the portal
 * itself (`/users?tab=2`), never another site (`//evil.example`,
 * `https://…`, `/\evil.example`); null for anything else.
 */
export function safeReturnTo(returnTo: string | undefined): string | null {
  if (returnTo === undefined) return null;
  if (!returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.includes('\\')) return null;
  // Control characters could split a header or hide a host from a naive check.
  for (let index = 0; index < returnTo.length; index++) {
    if (returnTo.charCodeAt(index) < 0x20 || returnTo.charCodeAt(index) === 0x7f) return null;
  }
  return returnTo;
}

/** Authentication method references (RFC 8176) that stand for more than a password. */
const strongMethods = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina', 'vbm', 'pop']);

/** SAML authentication contexts that providers send for multi-factor sign-ins. */
const multiFactorContexts = new Set([
  'http://schemas.microsoft.com/claims/multipleauthn',
  'https://refeds.org/profile/mfa',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
]);

/**
 * Whether the provider says it used a second factor: an OIDC `amr` value
 * (RFC 8176), a SAML authentication context, or a method reference a SAML
 * provider lists in an attribute (Microsoft Entra ID's
 * `…/claims/authnmethodsreferences`).
 */
export function providerUsedSecondFactor(proof: { amr: readonly string[]; authnContext: string | null }): boolean {
  return (
    proof.amr.some((method) => strongMethods.has(method) || multiFactorContexts.has(method)) ||
    (proof.authnContext !== null && multiFactorContexts.has(proof.authnContext))
  );
}

/** The SAML attribute in which Microsoft Entra ID lists how it authenticated the user. */
export const samlMethodsAttribute = 'http://schemas.microsoft.com/claims/authnmethodsreferences';
