import { X509Certificate } from 'node:crypto';
import { TenantryError } from '../errors.js';
import type { SamlIdpSettings } from './saml-types.js';
import { childElements, MAX_SAML_XML_BYTES, parseUntrustedXml, SAML_NS, textOf } from './saml-xml.js';

const PROTOCOL_SUPPORT = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const MAX_ENTITY_ID_LENGTH = 1024;

function unusable(message: string): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, { field: 'metadata' });
}

/**
 * Reads an IdP's metadata XML: its entity id, its SSO service URL
 * (HTTP-Redirect binding preferred, else HTTP-POST), its signing
 * certificates. `VALIDATION_FAILED` when it is not usable metadata (not XML,
 * no entity id, no SSO URL, no signing certificate). Bounded: input over
 * 1 MB and any DOCTYPE or entity declaration are refused (no XXE, no billion
 * laughs).
 *
 * An aggregate (`EntitiesDescriptor`) is read when exactly one of its
 * entities is a SAML 2.0 identity provider.
 */
export function parseIdpMetadata(xml: string): SamlIdpSettings {
  if (typeof xml !== 'string') throw unusable('The metadata is not XML');
  const parsed = parseUntrustedXml(xml);
  if ('refusal' in parsed) {
    if (parsed.refusal === 'too-large') {
      throw unusable(`The metadata is larger than ${MAX_SAML_XML_BYTES / (1024 * 1024)} MB`);
    }
    throw unusable(parsed.refusal === 'doctype' ? 'The metadata may not declare a DOCTYPE' : 'The metadata is not XML');
  }
  const entity = identityProviderEntity(parsed.document);
  const entityId = entity.entity.getAttribute('entityID')?.trim() ?? '';
  if (entityId === '' || entityId.length > MAX_ENTITY_ID_LENGTH) {
    throw unusable('The metadata names no entity id');
  }
  return { entityId, ssoUrl: signInUrl(entity.descriptor), certificates: signingCertificates(entity.descriptor) };
}

/** The one entity with a SAML 2.0 IDPSSODescriptor, and that descriptor. */
function identityProviderEntity(document: Document): { entity: Element; descriptor: Element } {
  const root = document.documentElement;
  if (root.namespaceURI !== SAML_NS.metadata) throw unusable('The metadata is not SAML metadata');
  let entities: Element[];
  if (root.localName === 'EntityDescriptor') entities = [root];
  else if (root.localName === 'EntitiesDescriptor') {
    entities = Array.from(root.getElementsByTagNameNS(SAML_NS.metadata, 'EntityDescriptor'));
  } else throw unusable('The metadata is not SAML metadata');
  const found = entities.flatMap((entity) =>
    childElements(entity, SAML_NS.metadata, 'IDPSSODescriptor')
      .filter((descriptor) =>
        (descriptor.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL_SUPPORT),
      )
      .map((descriptor) => ({ entity, descriptor })),
  );
  const [only, ...others] = found;
  if (only === undefined) throw unusable('The metadata describes no SAML 2.0 identity provider');
  if (others.length > 0) throw unusable('The metadata describes several identity providers');
  return only;
}

/** The SSO service location: HTTP-Redirect where offered, else HTTP-POST. */
function signInUrl(descriptor: Element): string {
  const services = childElements(descriptor, SAML_NS.metadata, 'SingleSignOnService');
  const location = (binding: string) =>
    services
      .find((service) => service.getAttribute('Binding') === binding)
      ?.getAttribute('Location')
      ?.trim();
  const url = location(REDIRECT_BINDING) || location(POST_BINDING);
  if (!url) throw unusable('The metadata names no HTTP-Redirect or HTTP-POST sign-in URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw unusable('The sign-in URL in the metadata is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw unusable('The sign-in URL in the metadata is not an http(s) URL');
  }
  return url;
}

/**
 * The certificates of the descriptor's signing keys (a KeyDescriptor with
 * `use="signing"`, or without `use`, which serves both purposes), each as
 * PEM, once. Refused when one of them is not an X.509 certificate: a
 * connection should not start with a key it cannot use.
 */
function signingCertificates(descriptor: Element): string[] {
  const certificates = new Set<string>();
  for (const key of childElements(descriptor, SAML_NS.metadata, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const element of Array.from(key.getElementsByTagNameNS(SAML_NS.signature, 'X509Certificate'))) {
      const body = textOf(element)?.replace(/\s+/g, '');
      if (!body) continue;
      certificates.add(toPem(body));
    }
  }
  if (certificates.size === 0) throw unusable('The metadata names no signing certificate');
  return [...certificates];
}

function toPem(base64: string): string {
  const pem = `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw unusable('A signing certificate in the metadata is not an X.509 certificate');
  }
  return pem;
}
