import { SamlStatusError } from '@node-saml/node-saml';
import { describe, expect, it } from 'vitest';
import { nodeSamlFailure, samlFailed } from '../../src/sso/saml-failures.js';

describe('node-saml errors', () => {
  it.each([
    ['InResponseTo is not valid', 'in-response-to-mismatch'],
    ['InResponseTo is missing from response', 'in-response-to-mismatch'],
    ['InResponseTo does not match subjectInResponseTo', 'in-response-to-mismatch'],
    ['SubjectInResponseTo is not valid', 'in-response-to-mismatch'],
    ['SAML assertion audience mismatch. Expected: a Received: b', 'audience-mismatch'],
    ['SAML assertion has no AudienceRestriction', 'audience-mismatch'],
    ['SAML assertion AudienceRestriction has no Audience value', 'audience-mismatch'],
    ['SAML assertion not yet valid', 'expired'],
    ['SAML assertion expired: clocks skewed too much', 'expired'],
    ['SAML assertion expired: assertion too old', 'expired'],
    ['No valid subject confirmation found among those available in the SAML assertion', 'expired'],
    ['Invalid signature', 'signature-invalid'],
    ['Invalid document signature', 'signature-invalid'],
    ['Invalid signature: multiple assertions', 'signature-invalid'],
    ['Invalid signature: ID cannot refer to more than one element', 'signature-invalid'],
    ["Invalid signature: Referenced node does not refer to it's parent element", 'signature-invalid'],
    ['Too many signatures found for this element', 'signature-invalid'],
    ['Invalid signature, too many transforms', 'signature-invalid'],
    ['Cannot obtain assertion from signed data', 'signature-invalid'],
    ['could not find any Reference elements', 'signature-invalid'],
    ["Error parsing NotOnOrAfter: 'soon' is not a valid date", 'malformed'],
    ['Missing SAML assertion', 'malformed'],
    ['Not a valid XML document', 'malformed'],
  ])('"%s" is %s', (message, reason) => expect(nodeSamlFailure(new Error(message))).toBe(reason));

  it('a SamlStatusError is status-not-success', () => {
    const error = new SamlStatusError('SAML provider returned Responder error: unspecified', '<Status/>');
    expect(nodeSamlFailure(error)).toBe('status-not-success');
    // The cause kept for the logs is its name and message, not the IdP's status XML.
    expect(samlFailed('status-not-success', error).cause).toMatchObject({ name: 'Error', message: error.message });
    expect(samlFailed('status-not-success', error).cause).not.toHaveProperty('xmlStatus');
  });
});
