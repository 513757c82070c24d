/** How a company's identity provider speaks: OpenID Connect or SAML 2.0. */
export type SsoConnectionType = 'oidc' | 'saml';

/** Access that SSO grants: roles and permissions, by the same grant rules as `users.setAccess`. */
export interface SsoAccess {
  roles: string[];
  permissions: string[];
}

/**
 * How the provider's groups or claims become access: the values of `claim`
 * (a string or a list of strings in the ID token or the assertion's
 * attributes), each mapped to roles and permissions. A user signing in holds
 * the union of what their values map to; where none maps, the connection's
 * default access.
 */
export interface RoleMapping {
  claim: string;
  map: Readonly<Record<string, SsoAccess>>;
}

/** A mail domain an organization claims; `verified` once its DNS TXT record was found. */
export interface Domain {
  organizationId: string;
  domain: string;
  status: 'pending' | 'verified';
  /** The TXT record to publish: its name and its value. */
  verification: { recordName: string; recordValue: string };
  createdAt: Date;
  verifiedAt: Date | null;
}

/**
 * An organization's connection to its identity provider, as the API shows
 * it: never its client secret. `redirectUri` (OIDC) or `acsUrl` and
 * `entityId` (SAML) are what the company's IT enters at their provider.
 */
export interface SsoConnection {
  id: string;
  organizationId: string;
  type: SsoConnectionType;
  name: string;
  enabled: boolean;
  /** OIDC: where the provider sends the browser back (`${baseUrl}/sso/callback`). */
  redirectUri?: string;
  /** OIDC: the provider's issuer and this portal's client id there. */
  issuer?: string;
  clientId?: string;
  /** SAML: the assertion consumer service (`${baseUrl}/sso/acs`, POST binding). */
  acsUrl?: string;
  /** SAML: this portal's entity id (`${baseUrl}/sso/metadata`, which serves its metadata). */
  entityId?: string;
  /** SAML: the identity provider's entity id. */
  idpEntityId?: string;
  roleMapping: RoleMapping | null;
  defaultAccess: SsoAccess;
  createdAt: Date;
  updatedAt: Date;
}
