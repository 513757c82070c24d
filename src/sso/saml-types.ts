/** The identity provider of a SAML connection, as its metadata describes it. */
export interface SamlIdpSettings {
  entityId: string;
  ssoUrl: string;
  /** PEM certificates that sign its responses. */
  certificates: string[];
}

/** This portal as a service provider for one connection. */
export interface SamlServiceProvider {
  entityId: string;
  acsUrl: string;
}

/** What a valid response proves. */
export interface SamlIdentity {
  /** The NameID. */
  subject: string;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  /** Every attribute of the assertion, each as a list of strings, by name (and by friendly name where given). */
  attributes: Readonly<Record<string, string[]>>;
  /**
   * The assertion's ID, for the replay cache, and until when it is valid
   * (NotOnOrAfter), for how long to remember it. `validUntil` is the earliest
   * NotOnOrAfter of the assertion's conditions and of the subject confirmation
   * that names this portal, plus the clock skew the validation allowed: the
   * last moment this validation would still accept the same response.
   */
  assertionId: string;
  validUntil: Date;
  /** The AuthnContextClassRef, when present (how the IdP authenticated the user). */
  authnContext: string | null;
}

/**
 * Why a SAML response was refused, as `details.reason` of `SSO_FAILED`:
 * - `malformed`: not a base64 SAML Response this portal can read (too large,
 *   a DOCTYPE, not well-formed, no assertion, an encrypted one, no NameID, no
 *   NotOnOrAfter at all);
 * - `signature-invalid`: neither the response nor its assertion carries a
 *   valid signature by one of the connection's certificates (unsigned, signed
 *   by another key, altered, or the signed assertion moved or duplicated);
 * - `issuer-mismatch`: the signed assertion is issued by another entity than
 *   the connection's identity provider;
 * - `audience-mismatch`: the assertion is meant for another service provider;
 * - `recipient-mismatch`: the response or its subject confirmation is
 *   addressed to another assertion consumer service URL;
 * - `in-response-to-mismatch`: it answers another request, or none;
 * - `expired`: outside its conditions' or subject confirmation's time window,
 *   clock skew allowed (too late or not yet valid);
 * - `status-not-success`: the identity provider answered with an error status.
 */
export type SamlFailure =
  | 'malformed'
  | 'signature-invalid'
  | 'issuer-mismatch'
  | 'audience-mismatch'
  | 'recipient-mismatch'
  | 'in-response-to-mismatch'
  | 'expired'
  | 'status-not-success';
