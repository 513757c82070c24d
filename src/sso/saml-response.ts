import type { SamlFailure } from './saml-types.js';
import { attributeValue, childElement, decodeBase64Xml, parseUntrustedXml, SAML_NS } from './saml-xml.js';

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const STATUS_CODE = /^urn:oasis:names:tc:SAML:2\.0:status:[A-Za-z]{1,64}$/;

/**
 * What the outside of a posted response claims, read without trusting it: its
 * status, where it is addressed, which request it answers. Only the status
 * decides anything on its own (an error is an error, signed or not); the rest
 * is compared with what the signed assertion says.
 */
export interface ResponseEnvelope {
  /** The form field as posted, for node-saml. */
  base64: string;
  /** Success, an error status, or none at all (not a valid response). */
  status: 'success' | 'error' | 'missing';
  /** The status codes, top level first, when they are SAML status URNs (safe to show); null otherwise. */
  statusCodes: string | null;
  destination: string | null;
  inResponseTo: string | null;
}

/** Decodes and parses a posted SAMLResponse, bounded like metadata; `malformed` when it is not a SAML 2.0 Response. */
export function readResponseEnvelope(samlResponse: string): ResponseEnvelope | { failure: SamlFailure } {
  const xml = typeof samlResponse === 'string' ? decodeBase64Xml(samlResponse) : null;
  if (xml === null) return { failure: 'malformed' };
  const parsed = parseUntrustedXml(xml);
  if ('refusal' in parsed) return { failure: 'malformed' };
  const response = parsed.document.documentElement;
  if (response.namespaceURI !== SAML_NS.protocol || response.localName !== 'Response') return { failure: 'malformed' };
  const status = childElement(response, SAML_NS.protocol, 'Status');
  const topCode = status ? childElement(status, SAML_NS.protocol, 'StatusCode') : null;
  const topValue = attributeValue(topCode, 'Value');
  const nestedCode = topCode ? childElement(topCode, SAML_NS.protocol, 'StatusCode') : null;
  const codes = [topValue, attributeValue(nestedCode, 'Value')].filter((code) => code !== null);
  return {
    base64: samlResponse,
    status: topValue === null ? 'missing' : topValue === STATUS_SUCCESS ? 'success' : 'error',
    statusCodes: codes.length > 0 && codes.every((code) => STATUS_CODE.test(code)) ? codes.join(' ') : null,
    destination: attributeValue(response, 'Destination'),
    inResponseTo: attributeValue(response, 'InResponseTo'),
  };
}

/**
 * Reads the InResponseTo of a response without trusting it, to find the
 * sign-in it claims to answer (null when absent or unreadable). Bounded like
 * `parseIdpMetadata`.
 */
export function claimedRequestId(samlResponse: string): string | null {
  const envelope = readResponseEnvelope(samlResponse);
  return 'failure' in envelope ? null : envelope.inResponseTo;
}
