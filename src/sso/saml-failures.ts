import { SamlStatusError } from '@node-saml/node-saml';
import { TenantryError } from '../errors.js';
import type { SamlFailure } from './saml-types.js';

const failureMessages: Record<SamlFailure, string> = {
  malformed: 'The SAML response could not be read',
  'signature-invalid': 'The SAML response is not signed by the identity provider',
  'issuer-mismatch': 'The SAML assertion was issued by another identity provider',
  'audience-mismatch': 'The SAML assertion is meant for another service provider',
  'recipient-mismatch': 'The SAML response is addressed to another assertion consumer service',
  'in-response-to-mismatch': 'The SAML response does not answer this sign-in',
  expired: 'The SAML assertion is not valid at this time',
  'status-not-success': 'The identity provider did not sign you in',
};

/**
 * `SSO_FAILED` for a refused response, with its reason and, where given,
 * safe extra details. Nothing of the response itself goes into the message
 * or the details. node-saml's error becomes the cause, for the logs, as its
 * name and message only: a SamlStatusError carries the status XML the
 * identity provider wrote, which a logged error need not hold.
 */
export function samlFailed(reason: SamlFailure, cause?: unknown, extra: Record<string, string> = {}): TenantryError {
  const options = cause === undefined ? {} : { cause: summary(cause) };
  return new TenantryError('SSO_FAILED', failureMessages[reason], { ...extra, reason }, options);
}

function summary(error: unknown): Error {
  if (!(error instanceof Error)) return new Error('A value other than an error was thrown');
  const copy = new Error(error.message);
  copy.name = error.name;
  return copy;
}

// node-saml 5 throws plain Errors whose message is the only sign of what
// failed (SamlStatusError aside). Every message it throws while validating a
// POST response is matched here, in order; the tests pin each one, so an
// upgrade that rewords them fails loudly instead of changing reasons.
const nodeSamlMessages: readonly (readonly [pattern: RegExp, reason: SamlFailure])[] = [
  // "InResponseTo is not valid", "InResponseTo is missing from response",
  // "InResponseTo does not match subjectInResponseTo", "SubjectInResponseTo is not valid"
  [/InResponseTo/, 'in-response-to-mismatch'],
  // "SAML assertion audience mismatch. ...", "SAML assertion has no AudienceRestriction",
  // "SAML assertion AudienceRestriction has no Audience value"
  [
    /^SAML assertion (audience mismatch|has no AudienceRestriction|AudienceRestriction has no Audience)/,
    'audience-mismatch',
  ],
  // "SAML assertion not yet valid", "SAML assertion expired: clocks skewed too much",
  // "SAML assertion expired: assertion too old", "No valid subject confirmation found among ..."
  [/^SAML assertion (not yet valid|expired)|^No valid subject confirmation/, 'expired'],
  // "Invalid signature", "Invalid document signature", "Invalid signature: multiple assertions",
  // "Invalid signature: ID cannot refer to more than one element", "Too many signatures found ...",
  // "Invalid signature, too many transforms", "Cannot obtain assertion from signed data",
  // "ref URI included quote character ...", "Only 1 signed references should be present ..."
  [
    /^Invalid (document )?signature|^Too many signatures|^Cannot obtain assertion from signed data/,
    'signature-invalid',
  ],
  [
    /^ref URI included quote character|^Only 1 signed references|^signature reference uri not found/,
    'signature-invalid',
  ],
  // xml-crypto, while node-saml loads a signature it then cannot check:
  // "could not find any Reference elements", "no signed info node found", ...
  [
    /^(could not (find|load)|no signed info node|(signature|canonicalization|hash) algorithm '.*' is not supported)/,
    'signature-invalid',
  ],
];

/**
 * The reason for an error node-saml threw while validating a response:
 * anything it does not name (unparsable XML or dates, an encrypted or
 * missing assertion, several Conditions) is `malformed`.
 */
export function nodeSamlFailure(error: unknown): SamlFailure {
  if (error instanceof SamlStatusError) return 'status-not-success';
  const message = error instanceof Error ? error.message : '';
  for (const [pattern, reason] of nodeSamlMessages) {
    if (pattern.test(message)) return reason;
  }
  return 'malformed';
}
