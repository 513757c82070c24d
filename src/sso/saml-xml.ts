import { DOMParser } from '@xmldom/xmldom';

/** The largest XML tenantry reads from an identity provider, in UTF-8 bytes; real metadata and responses are far smaller. */
export const MAX_SAML_XML_BYTES = 1024 * 1024;

/** The SAML 2.0 namespaces tenantry reads. */
export const SAML_NS = {
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  signature: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Why XML from an identity provider was not read. */
export type XmlRefusal = 'too-large' | 'doctype' | 'not-xml';

/** A parsed document, or why there is none. */
export type UntrustedXml = { document: Document } | { refusal: XmlRefusal };

// SAML never needs a DTD. Refusing any DOCTYPE or entity declaration before
// parsing rules out external entities (XXE) and entity expansion (billion
// laughs) whatever the parser would do with them.
const declaresDocumentType = /<!DOCTYPE|<!ENTITY/i;

/**
 * Parses XML an identity provider sent or published: refused when over
 * {@link MAX_SAML_XML_BYTES}, when it declares a DOCTYPE or entities, or when
 * the parser reports anything (xmldom only warns about much that is not
 * well-formed, so warnings refuse too).
 */
export function parseUntrustedXml(xml: string): UntrustedXml {
  if (xml.length > MAX_SAML_XML_BYTES || Buffer.byteLength(xml, 'utf8') > MAX_SAML_XML_BYTES) {
    return { refusal: 'too-large' };
  }
  if (declaresDocumentType.test(xml)) return { refusal: 'doctype' };
  const refuse = (message: string) => {
    throw new XmlNotWellFormed(message);
  };
  try {
    const document = new DOMParser({
      locator: {},
      errorHandler: { warning: refuse, error: refuse, fatalError: refuse },
    }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
    if (!document?.documentElement) return { refusal: 'not-xml' };
    return { document };
  } catch {
    return { refusal: 'not-xml' };
  }
}

class XmlNotWellFormed extends Error {}

/** The base64 of a POST-binding message, decoded to text; null when it is not base64 of UTF-8 or decodes to more than the XML bound. */
export function decodeBase64Xml(encoded: string): string | null {
  // Identity providers may wrap the base64 in lines; nothing else is allowed.
  if (encoded.length > 2 * MAX_SAML_XML_BYTES) return null;
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > MAX_SAML_XML_BYTES) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The element's child elements in a namespace, with a local name. */
export function childElements(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const element = node as Element;
      if (element.namespaceURI === namespace && element.localName === localName) found.push(element);
    }
  }
  return found;
}

/** The first child element in a namespace with a local name, or null. */
export function childElement(parent: Element, namespace: string, localName: string): Element | null {
  return childElements(parent, namespace, localName)[0] ?? null;
}

/** An attribute's value, or null when it is absent or empty. */
export function attributeValue(element: Element | null, name: string): string | null {
  const value = element?.getAttribute(name);
  return value ? value : null;
}

/** The trimmed text of an element, or null when it has none. */
export function textOf(element: Element | null): string | null {
  const text = element?.textContent?.trim();
  return text ? text : null;
}
