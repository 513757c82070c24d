import type { RoleMapping, SsoAccess, SsoConnectionType } from '../sso-types.js';

/**
 * A company's claim of a mail domain, as stored. `domain` is lower case,
 * ASCII (an internationalized name in its punycode form), without a trailing
 * dot. Several organizations may claim a domain while it is pending; once
 * one of them has verified it, it is theirs alone in the installation.
 */
export interface StoredDomain {
  organizationId: string;
  domain: string;
  /** The random value of the TXT record that proves the claim. */
  verificationToken: string;
  createdAt: Date;
  /** When the TXT record was last found; null while pending. */
  verifiedAt: Date | null;
}

/** Mail domains claimed by organizations. */
export interface DomainRepository {
  /** Stores a pending claim; `CONFLICT` when this organization claimed the domain already. */
  insert(domain: StoredDomain): Promise<void>;
  get(organizationId: string, domain: string): Promise<StoredDomain | null>;
  /** An organization's claims, by domain ascending. */
  forOrganization(organizationId: string): Promise<StoredDomain[]>;
  /** The verified claim of this domain in the whole installation, whoever holds it; null when there is none. */
  verifiedClaim(domain: string): Promise<StoredDomain | null>;
  /**
   * Marks the organization's claim verified at `at`. `CONFLICT` when another
   * organization's claim of the domain is verified (two concurrent
   * verifications included: a unique index decides); false when this
   * organization has no claim of the domain.
   */
  markVerified(organizationId: string, domain: string, at: Date): Promise<boolean>;
  /** Removes the organization's claim; false when there was none. */
  remove(organizationId: string, domain: string): Promise<boolean>;
}

/**
 * An SSO connection as stored. `settings` holds what its protocol needs
 * (OIDC: issuer, client id, the client secret sealed with the installation's
 * encryption keys, scopes; SAML: the identity provider's entity id, sign-in
 * URL and signing certificates, and the metadata they came from); the
 * storage keeps it as JSON without reading it.
 */
export interface StoredSsoConnection {
  id: string;
  organizationId: string;
  type: SsoConnectionType;
  name: string;
  enabled: boolean;
  settings: Readonly<Record<string, unknown>>;
  roleMapping: RoleMapping | null;
  /** The access a user created just in time starts with (and keeps where no mapping applies). */
  defaultAccess: SsoAccess;
  createdAt: Date;
  updatedAt: Date;
}

/** Organizations' SSO connections. */
export interface SsoConnectionRepository {
  insert(connection: StoredSsoConnection): Promise<void>;
  get(id: string): Promise<StoredSsoConnection | null>;
  /** An organization's connections, oldest first. */
  forOrganization(organizationId: string): Promise<StoredSsoConnection[]>;
  /** The enabled connections of these organizations, oldest first (home-realm discovery). */
  enabledFor(organizationIds: readonly string[]): Promise<StoredSsoConnection[]>;
  update(connection: StoredSsoConnection): Promise<void>;
  /** Removes the connection and the identities linked through it; false when it was gone. */
  remove(id: string): Promise<boolean>;
}

/**
 * A started SSO sign-in, kept server-side until the provider sends the
 * browser back: single-use and short-lived. Only the SHA-256 of the `state`
 * the browser carries is stored.
 */
export interface SsoLogin {
  digest: string;
  connectionId: string;
  organizationId: string;
  /** OIDC: the PKCE code verifier, sealed with the installation's encryption keys. */
  codeVerifier: string | null;
  /** OIDC: the nonce the ID token must carry. */
  nonce: string | null;
  /** SAML: the id of the AuthnRequest the response must answer (`InResponseTo`). */
  requestId: string | null;
  /** A path of the portal to return to after signing in. */
  returnTo: string | null;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}

/** Started SSO sign-ins. */
export interface SsoLoginRepository {
  insert(login: SsoLogin): Promise<void>;
  /** Looks a login up without consuming it (null when unknown). */
  get(digest: string): Promise<SsoLogin | null>;
  /**
   * The SAML login that sent the AuthnRequest with this id (the ACS
   * receives the response without the state when the IdP drops RelayState).
   */
  byRequestId(requestId: string): Promise<SsoLogin | null>;
  /** Marks the login consumed if it is still open at `at`, in one atomic step; false otherwise. */
  consume(digest: string, at: Date): Promise<boolean>;
}

/** SAML assertion ids accepted once: the replay cache, shared by every process on the storage. */
export interface SsoAssertionRepository {
  /**
   * Records that this connection accepted this assertion id, kept until
   * `expiresAt`; false when it was recorded before (a replay), concurrent
   * recordings included (a unique key decides).
   */
  remember(connectionId: string, assertionId: string, expiresAt: Date): Promise<boolean>;
}

/** A user linked to their identity at a connection's provider (OIDC `sub`, SAML `NameID`). */
export interface SsoIdentity {
  connectionId: string;
  subject: string;
  userId: string;
  createdAt: Date;
  lastSignInAt: Date;
}

/** Links between users and their identities at providers. */
export interface SsoIdentityRepository {
  /** Stores a link; `CONFLICT` when the subject is linked already at this connection. */
  insert(identity: SsoIdentity): Promise<void>;
  get(connectionId: string, subject: string): Promise<SsoIdentity | null>;
  /** Records a sign-in through the link. */
  touch(connectionId: string, subject: string, at: Date): Promise<void>;
  /** A user's links, oldest first. */
  forUser(userId: string): Promise<SsoIdentity[]>;
  /** Removes every link of the user (their erasure). */
  removeForUser(userId: string): Promise<void>;
}
