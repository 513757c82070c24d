import { X509Certificate } from 'node:crypto';
import { SamlStatusError } from '@node-saml/node-saml';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import samlify from 'samlify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantryError } from '../../src/errors.js';
import {
  claimedRequestId,
  parseIdpMetadata,
  type SamlFailure,
  type SamlIdpSettings,
  type SamlServiceProvider,
  samlSignInRequest,
  serviceProviderMetadata,
  validateSamlResponse,
} from '../../src/sso/saml.js';
import { nodeSamlFailure, samlFailed } from '../../src/sso/saml-failures.js';
import { type SamlResponseVariant, type SamlTestIdp, type SamlTestUser, startSamlIdp } from '../support/saml-idp.js';

const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};
const sp: SamlServiceProvider = {
  entityId: 'https://portal.example/sso/metadata',
  acsUrl: 'https://portal.example/sso/acs',
};
const ann: SamlTestUser = {
  nameId: 'ann@acme.example',
  email: 'ann@acme.example',
  givenName: 'Ann',
  familyName: 'Archer',
  groups: ['engineering', 'portal-admins'],
};
const mallory = 'mallory@evil.example';
const minutes = (count: number) => new Date(Date.now() + count * 60_000);

let idp: SamlTestIdp;
let otherKeyIdp: SamlTestIdp;
let settings: SamlIdpSettings;

beforeAll(async () => {
  idp = await startSamlIdp({ user: ann });
  // The same entity id with another key: only the signature tells them apart.
  otherKeyIdp = await startSamlIdp({ entityId: idp.entityId });
  settings = parseIdpMetadata(await (await fetch(idp.metadataUrl)).text());
});
afterAll(() => Promise.all([idp?.close(), otherKeyIdp?.close()]));

async function signIn(variant?: SamlResponseVariant, from: { sp?: SamlServiceProvider; idp?: SamlTestIdp } = {}) {
  const { url, requestId } = await samlSignInRequest(settings, from.sp ?? sp, { relayState: 'state-123' });
  return { requestId, ...(await (from.idp ?? idp).respond(url, ann, variant)) };
}

const validate = (samlResponse: string, expectedRequestId: string, clockSkewMs?: number) =>
  validateSamlResponse(settings, sp, { samlResponse, expectedRequestId, ...(clockSkewMs ? { clockSkewMs } : {}) });

/** The reason of the refusal, checking that nothing of the response leaks into the message or details. */
async function refusal(validation: Promise<unknown>): Promise<SamlFailure> {
  const error = await validation.then(
    () => expect.fail('the response was accepted'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TenantryError);
  const { code, message, details } = error as TenantryError;
  expect(code).toBe('SSO_FAILED');
  expect(`${message} ${JSON.stringify(details)}`).not.toMatch(/acme\.example|evil\.example|PHNhbWxw/);
  return details.reason as SamlFailure;
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const decoded = (samlResponse: string) => parse(Buffer.from(samlResponse, 'base64').toString('utf8'));
const encoded = (document: Document) => Buffer.from(new XMLSerializer().serializeToString(document)).toString('base64');
const first = (node: Document | Element, ns: string, name: string) => node.getElementsByTagNameNS(ns, name)[0]!;
const child = (parent: Element, ns: string, name: string) =>
  Array.from(parent.childNodes).find(
    (node): node is Element =>
      node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === name,
  );
/** The NameID a naive reader finds: that of the Response's first Assertion child. */
const naiveNameId = (document: Document) =>
  child(child(child(document.documentElement, NS.saml, 'Assertion')!, NS.saml, 'Subject')!, NS.saml, 'NameID')!
    .textContent;

function expectValidationFailed(read: () => unknown) {
  expect(read).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
}

describe('parseIdpMetadata', () => {
  it("reads the identity provider's own metadata", () => {
    expect(settings.entityId).toBe(idp.entityId);
    expect(settings.ssoUrl).toBe(idp.ssoUrl);
    expect(settings.certificates).toHaveLength(1);
    const certificate = new X509Certificate(settings.certificates[0]!);
    expect(idp.metadataXml).toContain(certificate.raw.toString('base64'));
  });

  it('prefers the HTTP-Redirect sign-in URL and falls back to HTTP-POST', () => {
    const metadata = parse(idp.metadataXml);
    const descriptor = first(metadata, NS.md, 'IDPSSODescriptor');
    const post = metadata.createElementNS(NS.md, 'SingleSignOnService');
    post.setAttribute('Binding', 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    post.setAttribute('Location', 'https://idp.example/sso/post');
    descriptor.insertBefore(post, first(descriptor, NS.md, 'SingleSignOnService'));
    expect(parseIdpMetadata(new XMLSerializer().serializeToString(metadata)).ssoUrl).toBe(idp.ssoUrl);
    descriptor.removeChild(first(descriptor, NS.md, 'SingleSignOnService').nextSibling!);
    expect(parseIdpMetadata(new XMLSerializer().serializeToString(metadata)).ssoUrl).toBe(
      'https://idp.example/sso/post',
    );
  });

  it('refuses what is not usable identity provider metadata', () => {
    const without = (name: string) => {
      const metadata = parse(idp.metadataXml);
      const element = first(metadata, NS.md, name);
      element.parentNode!.removeChild(element);
      return new XMLSerializer().serializeToString(metadata);
    };
    for (const input of ['', 'not xml at all', '<html><body>Sign in</body></html>', '<EntityDescriptor/>']) {
      expectValidationFailed(() => parseIdpMetadata(input));
    }
    expectValidationFailed(() => parseIdpMetadata(without('KeyDescriptor')));
    expectValidationFailed(() => parseIdpMetadata(without('SingleSignOnService')));
    expectValidationFailed(() => parseIdpMetadata(idp.metadataXml.replace(/entityID="[^"]*"/, '')));
    expectValidationFailed(() => parseIdpMetadata(idp.metadataXml.replace(/(<ds:X509Certificate>)[^<]{20}/, '$1AAAA')));
  });

  it('refuses a DOCTYPE with entities, and input over 1 MB', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>`;
    expectValidationFailed(() => parseIdpMetadata(`${laughs}${idp.metadataXml.replace(idp.entityId, '&lol2;')}`));
    const external = '<!DOCTYPE md [<!ENTITY id SYSTEM "file:///etc/hostname">]>';
    expectValidationFailed(() => parseIdpMetadata(`${external}${idp.metadataXml.replace(idp.entityId, '&id;')}`));
    const padded = idp.metadataXml.replace('<IDPSSODescriptor', `<!--${'x'.repeat(1024 * 1024)}--><IDPSSODescriptor`);
    expect(() => parseIdpMetadata(padded)).toThrowError(/larger than 1 MB/);
  });
});

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
  it('unsigned, response and assertion both', async () => {
    const { samlResponse, requestId } = await signIn({ signing: 'none' });
    expect(decoded(samlResponse).getElementsByTagNameNS(NS.ds, 'Signature')).toHaveLength(0);
    expect(await refusal(validate(samlResponse, requestId))).toBe('signature-invalid');
  });

  it.each(['assertion', 'both'] as const)('signed by another key (%s)', async (signing) => {
    const { samlResponse, requestId } = await signIn({ signing }, { idp: otherKeyIdp });
    expect(await refusal(validate(samlResponse, requestId))).toBe('signature-invalid');
  });

  describe('when the signed assertion is wrapped so that a naive parser reads the attacker’s', () => {
    // The attacker's assertion: a copy of the signed one, for another person.
    function forge(signed: Element, keepSignature: boolean): Element {
      const forged = signed.cloneNode(true) as Element;
      const signature = child(forged, NS.ds, 'Signature');
      if (signature && !keepSignature) forged.removeChild(signature);
      const texts = [
        first(forged, NS.saml, 'NameID'),
        ...Array.from(forged.getElementsByTagNameNS(NS.saml, 'AttributeValue')),
      ];
      for (const element of texts.filter((node) => node.textContent === ann.email)) {
        element.replaceChild(element.ownerDocument.createTextNode(mallory), element.firstChild!);
      }
      return forged;
    }
    const attacks: Record<string, (response: Element, signed: Element) => void> = {
      'duplicated before the signed one': (response, signed) => response.insertBefore(forge(signed, false), signed),
      'moved into Extensions, the copy in its place': (response, signed) => {
        const extensions = response.ownerDocument.createElementNS(NS.samlp, 'samlp:Extensions');
        response.replaceChild(forge(signed, false), signed);
        extensions.appendChild(signed);
        response.insertBefore(extensions, first(response, NS.samlp, 'Status'));
      },
      'nested in the signature of a copy with the same ID': (response, signed) => {
        const forged = forge(signed, true);
        response.replaceChild(forged, signed);
        first(forged, NS.ds, 'Signature').appendChild(signed);
      },
      'nested in the signature of a copy with another ID': (response, signed) => {
        const forged = forge(signed, true);
        forged.setAttribute('ID', '_forged');
        response.replaceChild(forged, signed);
        first(forged, NS.ds, 'Signature').appendChild(signed);
      },
    };

    it('keeps a valid signature through the round trip it uses', async () => {
      const { samlResponse, requestId } = await signIn();
      expect((await validate(encoded(decoded(samlResponse)), requestId)).subject).toBe(ann.nameId);
    });

    it.each(Object.keys(attacks))('%s', async (attack) => {
      const { samlResponse, requestId } = await signIn();
      const document = decoded(samlResponse);
      attacks[attack]!(document.documentElement, first(document, NS.saml, 'Assertion'));
      expect(naiveNameId(document)).toBe(mallory);
      expect(await refusal(validate(encoded(document), requestId))).toBe('signature-invalid');
    });

    it('a signed response inside a forged one', async () => {
      const { samlResponse, requestId } = await signIn({ signing: 'response' });
      const document = decoded(samlResponse);
      const original = document.documentElement;
      const outer = original.cloneNode(true) as Element;
      outer.removeChild(first(outer, NS.ds, 'Signature'));
      const assertion = first(outer, NS.saml, 'Assertion');
      outer.replaceChild(forge(assertion, false), assertion);
      document.replaceChild(outer, original);
      const extensions = document.createElementNS(NS.samlp, 'samlp:Extensions');
      extensions.appendChild(original);
      outer.insertBefore(extensions, first(outer, NS.samlp, 'Status'));
      expect(naiveNameId(document)).toBe(mallory);
      expect(await refusal(validate(encoded(document), requestId))).toBe('signature-invalid');
    });
  });

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

describe('serviceProviderMetadata and claimedRequestId', () => {
  it('describes this portal for the IdP to import', () => {
    const xml = serviceProviderMetadata(sp);
    const metadata = parse(xml);
    expect(metadata.documentElement.getAttribute('entityID')).toBe(sp.entityId);
    const descriptor = first(metadata, NS.md, 'SPSSODescriptor');
    expect(descriptor.getAttribute('AuthnRequestsSigned')).toBe('false');
    expect(descriptor.getAttribute('WantAssertionsSigned')).toBe('true');
    expect(first(descriptor, NS.md, 'NameIDFormat').textContent).toBe(
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    );
    const acs = first(descriptor, NS.md, 'AssertionConsumerService');
    expect(acs.getAttribute('Binding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(acs.getAttribute('Location')).toBe(sp.acsUrl);
    const imported = samlify.ServiceProvider({ metadata: xml });
    expect(imported.entityMeta.getEntityID()).toBe(sp.entityId);
  });

  it('reads the request a response claims to answer, and null where there is none', async () => {
    const { samlResponse, requestId } = await signIn({ signing: 'none' });
    expect(claimedRequestId(samlResponse)).toBe(requestId);
    const unsolicited = decoded(samlResponse);
    unsolicited.documentElement.removeAttribute('InResponseTo');
    expect(claimedRequestId(encoded(unsolicited))).toBeNull();
    expect(claimedRequestId('not base64!')).toBeNull();
    const doctype = `<!DOCTYPE r>${Buffer.from(samlResponse, 'base64').toString()}`;
    expect(claimedRequestId(Buffer.from(doctype).toString('base64'))).toBeNull();
  });
});
