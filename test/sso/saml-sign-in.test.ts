import { describe, expect, it } from 'vitest';
import type { TenantryError } from '../../src/errors.js';
import { claimedRequestId, samlSignInRequest, validateSamlResponse } from '../../src/sso/saml.js';
import {
  ann,
  decoded,
  encoded,
  first,
  idp,
  minutes,
  NS,
  refusal,
  settings,
  signIn,
  sp,
  useSamlIdp,
  validate,
} from './saml-support.js';

useSamlIdp();

describe('a sign-in', () => {
  it('goes from the AuthnRequest through the IdP to the identity its response proves', async () => {
    const { url, requestId } = await samlSignInRequest(settings, sp, { relayState: 'state-123' });
    expect(url.startsWith(`${idp.ssoUrl}?`)).toBe(true);
    expect(new URL(url).searchParams.get('RelayState')).toBe('state-123');
    // The browser follows the redirect; the IdP answers with a form that posts to the ACS URL.
    const page = await (await fetch(url)).text();
    const field = (name: string) => page.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1] ?? '';
    expect(page).toContain(`action="${sp.acsUrl}"`);
    expect(field('RelayState')).toBe('state-123');
    expect(claimedRequestId(field('SAMLResponse'))).toBe(requestId);

    const identity = await validate(field('SAMLResponse'), requestId);
    expect(identity).toMatchObject({ subject: ann.nameId, email: ann.email, givenName: 'Ann', familyName: 'Archer' });
    expect(identity.attributes.groups).toEqual(['engineering', 'portal-admins']);
    expect(identity.attributes.mail).toEqual([ann.email]);
    expect(identity.attributes['urn:oid:2.5.4.42']).toEqual(['Ann']);
    expect(identity.authnContext).toBe('urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport');
    const assertion = first(decoded(field('SAMLResponse')), NS.saml, 'Assertion');
    expect(identity.assertionId).toBe(assertion.getAttribute('ID'));
    const notOnOrAfter = first(assertion, NS.saml, 'Conditions').getAttribute('NotOnOrAfter')!;
    expect(identity.validUntil).toEqual(new Date(notOnOrAfter));
  });

  it.each(['response', 'both'] as const)('accepts a signature over the %s', async (signing) => {
    const { samlResponse, requestId } = await signIn({ signing });
    expect((await validate(samlResponse, requestId)).subject).toBe(ann.nameId);
  });

  it('validates the same response twice, with the same assertion id: replays are the caller’s to refuse', async () => {
    const { samlResponse, requestId } = await signIn();
    const once = await validate(samlResponse, requestId);
    const twice = await validate(samlResponse, requestId);
    expect(twice.assertionId).toBe(once.assertionId);
    expect(twice.validUntil).toEqual(once.validUntil);
  });

  it('allows the clock skew, and remembers it in validUntil', async () => {
    const notOnOrAfter = new Date(Date.now() - 30_000);
    const { samlResponse, requestId } = await signIn({ validity: { notBefore: minutes(-5), notOnOrAfter } });
    expect(await refusal(validate(samlResponse, requestId))).toBe('expired');
    const identity = await validate(samlResponse, requestId, 60_000);
    expect(identity.validUntil).toEqual(new Date(notOnOrAfter.getTime() + 60_000));
  });

  it('refuses a relay state over 80 bytes and a negative clock skew', async () => {
    await expect(samlSignInRequest(settings, sp, { relayState: 'x'.repeat(81) })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const { samlResponse, requestId } = await signIn();
    await expect(validate(samlResponse, requestId, -1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('a response is refused', () => {
  it('for another service provider', async () => {
    const { samlResponse, requestId } = await signIn({ audience: 'https://other-portal.example/sso/metadata' });
    expect(await refusal(validate(samlResponse, requestId))).toBe('audience-mismatch');
  });

  it('addressed to another ACS URL', async () => {
    const elsewhere = { ...sp, acsUrl: 'https://portal.example/other/acs' };
    const { samlResponse, requestId } = await signIn(undefined, { sp: elsewhere });
    expect(await refusal(validate(samlResponse, requestId))).toBe('recipient-mismatch');
    // Only the assertion is signed: without the response's Destination, its subject confirmation still says where to.
    const undirected = decoded(samlResponse);
    undirected.documentElement.removeAttribute('Destination');
    expect(await refusal(validate(encoded(undirected), requestId))).toBe('recipient-mismatch');
  });

  it('answering another request', async () => {
    const { samlResponse } = await signIn();
    const { requestId: otherRequest } = await samlSignInRequest(settings, sp, { relayState: 'state-456' });
    expect(await refusal(validate(samlResponse, otherRequest))).toBe('in-response-to-mismatch');
    expect(await refusal(validate(samlResponse, ''))).toBe('in-response-to-mismatch');
    // The response's own InResponseTo is not signed here; the subject confirmation's is.
    const redirected = decoded(samlResponse);
    redirected.documentElement.setAttribute('InResponseTo', otherRequest);
    expect(await refusal(validate(encoded(redirected), otherRequest))).toBe('in-response-to-mismatch');
  });

  it.each([
    ['expired', { notBefore: minutes(-10), notOnOrAfter: minutes(-5) }],
    ['not yet valid', { notBefore: minutes(5), notOnOrAfter: minutes(10) }],
  ])('%s', async (_, validity) => {
    const { samlResponse, requestId } = await signIn({ validity });
    expect(await refusal(validate(samlResponse, requestId))).toBe('expired');
  });

  it('with an error status of the IdP', async () => {
    const { samlResponse, requestId } = await signIn({ errorStatus: 'Responder' });
    const error = await validate(samlResponse, requestId).catch((thrown: TenantryError) => thrown);
    expect(error).toMatchObject({
      code: 'SSO_FAILED',
      details: { reason: 'status-not-success', status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' },
    });
  });

  it('issued by another entity than the connection’s IdP', async () => {
    const { samlResponse, requestId } = await signIn();
    const elsewhere = { ...settings, entityId: 'https://other-idp.example' };
    const validation = validateSamlResponse(elsewhere, sp, { samlResponse, expectedRequestId: requestId });
    expect(await refusal(validation)).toBe('issuer-mismatch');
  });

  it('when it is not a readable SAML response', async () => {
    const { samlResponse, requestId } = await signIn();
    const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    const doctype = '<!DOCTYPE r [<!ENTITY who "mallory">]>';
    const padded = xml.replace('<saml:Issuer>', `<!--${'x'.repeat(1024 * 1024)}--><saml:Issuer>`);
    for (const input of [
      '',
      'not base64!',
      base64('not xml'),
      base64(idp.metadataXml),
      base64(doctype + xml),
      base64(padded),
    ]) {
      expect(await refusal(validate(input, requestId))).toBe('malformed');
    }
  });
});
