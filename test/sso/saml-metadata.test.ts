import { X509Certificate } from 'node:crypto';
import { XMLSerializer } from '@xmldom/xmldom';
import samlify from 'samlify';
import { describe, expect, it } from 'vitest';
import { claimedRequestId, parseIdpMetadata, serviceProviderMetadata } from '../../src/sso/saml.js';
import {
  decoded,
  encoded,
  expectValidationFailed,
  first,
  idp,
  NS,
  parse,
  settings,
  signIn,
  sp,
  useSamlIdp,
} from './saml-support.js';

useSamlIdp();

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
