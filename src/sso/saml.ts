import {
  type CacheProvider,
  generateServiceProviderMetadata,
  type Profile,
  SAML,
  type SamlConfig,
  ValidateInResponseTo,
} from '@node-saml/node-saml';
import { TenantryError } from '../errors.js';
import { randomBytes } from '../random.js';
import { type BearerConfirmation, personOf, readVerifiedAssertion, type VerifiedAssertion } from './saml-assertion.js';
import { nodeSamlFailure, samlFailed } from './saml-failures.js';
import { readResponseEnvelope } from './saml-response.js';
import type { SamlIdentity, SamlIdpSettings, SamlServiceProvider } from './saml-types.js';

export { parseIdpMetadata } from './saml-metadata.js';
export { claimedRequestId } from './saml-response.js';
export type { SamlFailure, SamlIdentity, SamlIdpSettings, SamlServiceProvider } from './saml-types.js';

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** SAML bindings §3.4.3 and §3.5.3: RelayState MUST NOT exceed 80 bytes. */
const MAX_RELAY_STATE_BYTES = 80;

// node-saml saves request ids in its cache provider when it makes a request
// and looks them up when a response arrives. The caller keeps its sign-ins in
// its own storage, across processes, so node-saml's cache must never decide:
// each validation gets a provider that knows exactly one request, the one
// this call expects, and saves or forgets nothing. With `validateInResponseTo:
// always`, node-saml then refuses a response without InResponseTo, one that
// answers another request, and one whose subject confirmation answers another.
function expectedRequestOnly(expectedRequestId: string): CacheProvider {
  // node-saml also checks the entry's age against requestIdExpirationPeriodMs;
  // how long a sign-in may take is the caller's rule, kept with the sign-in.
  const issuedAt = new Date().toISOString();
  return {
    saveAsync: async () => null,
    getAsync: async (key) => (key === expectedRequestId ? issuedAt : null),
    removeAsync: async () => null,
  };
}

function nodeSaml(idp: SamlIdpSettings, sp: SamlServiceProvider, options: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    idpCert: idp.certificates,
    identifierFormat: EMAIL_NAME_ID,
    cacheProvider: expectedRequestOnly(''),
    ...options,
  });
}

/**
 * The AuthnRequest for a sign-in: the URL to send the browser to
 * (HTTP-Redirect binding, with RelayState) and the request id the response
 * must answer. The request is unsigned (the metadata says
 * `AuthnRequestsSigned="false"`) and asks for no particular authentication
 * context: the IdP applies its own policy and says in the assertion what it
 * did. `VALIDATION_FAILED` when the relay state exceeds the 80 bytes SAML
 * allows.
 */
export async function samlSignInRequest(
  idp: SamlIdpSettings,
  sp: SamlServiceProvider,
  request: { relayState: string },
): Promise<{ url: string; requestId: string }> {
  if (Buffer.byteLength(request.relayState, 'utf8') > MAX_RELAY_STATE_BYTES) {
    throw new TenantryError('VALIDATION_FAILED', `The relay state may not exceed ${MAX_RELAY_STATE_BYTES} bytes`);
  }
  // An xs:ID must not start with a digit: "_" and 160 random bits in hex.
  const requestId = `_${Buffer.from(randomBytes(20)).toString('hex')}`;
  const saml = nodeSaml(idp, sp, {
    entryPoint: idp.ssoUrl,
    generateUniqueId: () => requestId,
    disableRequestedAuthnContext: true,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  const url = await saml.getAuthorizeUrlAsync(request.relayState, undefined, {});
  return { url, requestId };
}

/**
 * Validates a POST-binding response (the SAMLResponse form field, base64): a
 * signature by one of the IdP's certificates over the response or the
 * assertion (required: an unsigned assertion in an unsigned response is
 * refused), the audience = `sp.entityId`, the recipient/destination =
 * `sp.acsUrl`, InResponseTo = `expectedRequestId`, the conditions' time
 * window with `clockSkewMs` (default 0). `SSO_FAILED` otherwise, with a
 * {@link SamlFailure} as `details.reason`; `VALIDATION_FAILED` for a negative
 * or non-finite `clockSkewMs`.
 *
 * Times are checked against the system clock: node-saml takes no other.
 * Replays are the caller's to refuse: the same valid response validates
 * again, with the same `assertionId`, until `validUntil`.
 */
export async function validateSamlResponse(
  idp: SamlIdpSettings,
  sp: SamlServiceProvider,
  response: { samlResponse: string; expectedRequestId: string; clockSkewMs?: number },
): Promise<SamlIdentity> {
  const clockSkewMs = response.clockSkewMs ?? 0;
  // node-saml reads a skew of -1 as "do not check times at all".
  if (!Number.isFinite(clockSkewMs) || clockSkewMs < 0) {
    throw new TenantryError('VALIDATION_FAILED', 'The clock skew must be a duration of zero or more milliseconds');
  }
  const envelope = readResponseEnvelope(response.samlResponse);
  if ('failure' in envelope) throw samlFailed(envelope.failure);
  // IdPs often leave error responses unsigned, and node-saml reads the
  // status only when there is no assertion: the status decides first.
  if (envelope.status === 'missing') throw samlFailed('malformed');
  if (envelope.status === 'error') {
    throw samlFailed('status-not-success', undefined, envelope.statusCodes ? { status: envelope.statusCodes } : {});
  }
  if (response.expectedRequestId === '') throw samlFailed('in-response-to-mismatch');
  const saml = nodeSaml(idp, sp, {
    // Either signature will do; node-saml then requires the assertion's
    // when the response's is missing or invalid.
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: clockSkewMs,
    validateInResponseTo: ValidateInResponseTo.always,
    cacheProvider: expectedRequestOnly(response.expectedRequestId),
  });
  let profile: Profile | null;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: envelope.base64 }));
  } catch (error) {
    throw samlFailed(nodeSamlFailure(error), error);
  }
  const assertion = profile?.getAssertionXml ? readVerifiedAssertion(profile.getAssertionXml()) : null;
  if (assertion === null || assertion.id === null || assertion.nameId === null) throw samlFailed('malformed');
  // node-saml reads the issuer but compares it only for logout messages;
  // IdPs that share signing keys across tenants make this check matter.
  if (assertion.issuer !== idp.entityId) throw samlFailed('issuer-mismatch');
  // node-saml does not compare Destination or Recipient with the ACS URL.
  if (envelope.destination !== null && envelope.destination !== sp.acsUrl) throw samlFailed('recipient-mismatch');
  const confirmation = confirmationFor(assertion, sp, response.expectedRequestId);
  return {
    subject: assertion.nameId,
    ...personOf(assertion),
    attributes: Object.freeze(assertion.attributes),
    assertionId: assertion.id,
    validUntil: validUntil(assertion, confirmation, clockSkewMs),
    authnContext: assertion.authnContext,
  };
}

/**
 * The signed bearer subject confirmation that names this portal's ACS URL and
 * answers the expected request (SAML profiles §4.1.4.2 require both of an
 * SP-initiated sign-in). The response's own InResponseTo, which node-saml
 * checks, is not signed when only the assertion is.
 */
function confirmationFor(
  assertion: VerifiedAssertion,
  sp: SamlServiceProvider,
  expectedRequestId: string,
): BearerConfirmation {
  const addressed = assertion.confirmations.filter((confirmation) => confirmation.recipient === sp.acsUrl);
  if (addressed.length === 0) throw samlFailed('recipient-mismatch');
  const answering = addressed.find((confirmation) => confirmation.inResponseTo === expectedRequestId);
  if (answering === undefined) throw samlFailed('in-response-to-mismatch');
  return answering;
}

/**
 * The last moment this validation accepts the assertion: its earliest
 * NotOnOrAfter (conditions, confirmation) plus the allowed skew. An assertion
 * without any NotOnOrAfter would be valid forever, which no replay cache can
 * remember: refused as malformed.
 */
function validUntil(assertion: VerifiedAssertion, confirmation: BearerConfirmation, clockSkewMs: number): Date {
  const limits = [assertion.conditionsNotOnOrAfter, confirmation.notOnOrAfter].filter((limit) => limit !== null);
  if (limits.length === 0) throw samlFailed('malformed');
  const until = Math.min(...limits.map((limit) => limit.getTime())) + clockSkewMs;
  // node-saml checked that some confirmation is current; this one must be.
  if (until <= Date.now()) throw samlFailed('expired');
  return new Date(until);
}

/**
 * This service provider's metadata XML for the company's IT to import: entity
 * id, ACS with POST binding, NameID format email address,
 * `AuthnRequestsSigned="false"`, `WantAssertionsSigned="true"`.
 */
export function serviceProviderMetadata(sp: SamlServiceProvider): string {
  return generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: EMAIL_NAME_ID,
    wantAssertionsSigned: true,
  });
}
