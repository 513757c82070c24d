import { attributeValue, childElement, childElements, parseUntrustedXml, SAML_NS, textOf } from './saml-xml.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** A bearer subject confirmation's data: to whom, for which request, until when. */
export interface BearerConfirmation {
  recipient: string | null;
  inResponseTo: string | null;
  notOnOrAfter: Date | null;
}

/** What tenantry reads from an assertion whose signature node-saml verified. */
export interface VerifiedAssertion {
  id: string | null;
  issuer: string | null;
  nameId: string | null;
  nameIdFormat: string | null;
  conditionsNotOnOrAfter: Date | null;
  confirmations: BearerConfirmation[];
  authnContext: string | null;
  attributes: Record<string, string[]>;
}

/**
 * Reads the assertion node-saml returns from the signed references only
 * (`profile.getAssertionXml()`), never from the response as posted: whatever
 * an attacker added around or beside the signed assertion is not in it.
 * Null when it cannot be read.
 */
export function readVerifiedAssertion(assertionXml: string): VerifiedAssertion | null {
  const parsed = parseUntrustedXml(assertionXml);
  if ('refusal' in parsed) return null;
  const assertion = parsed.document.documentElement;
  if (assertion.namespaceURI !== SAML_NS.assertion || assertion.localName !== 'Assertion') return null;
  const subject = childElement(assertion, SAML_NS.assertion, 'Subject');
  const conditions = childElement(assertion, SAML_NS.assertion, 'Conditions');
  const nameId = subject ? childElement(subject, SAML_NS.assertion, 'NameID') : null;
  return {
    id: attributeValue(assertion, 'ID'),
    issuer: textOf(childElement(assertion, SAML_NS.assertion, 'Issuer')),
    nameId: textOf(nameId),
    nameIdFormat: attributeValue(nameId, 'Format'),
    conditionsNotOnOrAfter: instant(attributeValue(conditions, 'NotOnOrAfter')),
    confirmations: subject ? bearerConfirmations(subject) : [],
    authnContext: authnContextClassRef(assertion),
    attributes: assertionAttributes(assertion),
  };
}

function instant(value: string | null): Date | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}

function bearerConfirmations(subject: Element): BearerConfirmation[] {
  return childElements(subject, SAML_NS.assertion, 'SubjectConfirmation')
    .filter((confirmation) => confirmation.getAttribute('Method') === BEARER)
    .map((confirmation) => {
      const data = childElement(confirmation, SAML_NS.assertion, 'SubjectConfirmationData');
      return {
        recipient: attributeValue(data, 'Recipient'),
        inResponseTo: attributeValue(data, 'InResponseTo'),
        notOnOrAfter: instant(attributeValue(data, 'NotOnOrAfter')),
      };
    });
}

function authnContextClassRef(assertion: Element): string | null {
  for (const statement of childElements(assertion, SAML_NS.assertion, 'AuthnStatement')) {
    const context = childElement(statement, SAML_NS.assertion, 'AuthnContext');
    const classRef = context ? textOf(childElement(context, SAML_NS.assertion, 'AuthnContextClassRef')) : null;
    if (classRef) return classRef;
  }
  return null;
}

/**
 * Every attribute's values as strings, by its Name and, where it has one, its
 * FriendlyName too; an attribute repeated (or a friendly name that is also a
 * name) gathers all its values.
 */
function assertionAttributes(assertion: Element): Record<string, string[]> {
  const byName = new Map<string, string[]>();
  const add = (key: string, values: string[]) => byName.set(key, [...(byName.get(key) ?? []), ...values]);
  for (const statement of childElements(assertion, SAML_NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, SAML_NS.assertion, 'Attribute')) {
      const name = attributeValue(attribute, 'Name');
      if (name === null) continue;
      const values = childElements(attribute, SAML_NS.assertion, 'AttributeValue').map(
        (value) => value.textContent?.trim() ?? '',
      );
      add(name, values);
      const friendlyName = attributeValue(attribute, 'FriendlyName');
      if (friendlyName !== null && friendlyName !== name) add(friendlyName, values);
    }
  }
  // Object.fromEntries defines own properties, so a name like "__proto__" stays a plain key.
  return Object.fromEntries(byName);
}

const emailAttributes = [
  'email',
  'mail',
  'emailaddress',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];
const givenNameAttributes = [
  'givenname',
  'firstname',
  'urn:oid:2.5.4.42',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
];
const familyNameAttributes = [
  'sn',
  'surname',
  'familyname',
  'lastname',
  'urn:oid:2.5.4.4',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
];

/**
 * The first non-empty value of the first attribute that goes by one of these
 * names (compared case-insensitively: IdPs spell `givenName`, `GivenName`,
 * `givenname`), in the order the names are listed.
 */
function firstValue(attributes: Record<string, string[]>, names: readonly string[]): string | null {
  const lowerCased = new Map(Object.entries(attributes).map(([name, values]) => [name.toLowerCase(), values]));
  for (const name of names) {
    const value = lowerCased.get(name)?.find((candidate) => candidate !== '');
    if (value !== undefined) return value;
  }
  return null;
}

const EMAIL_NAME_ID = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/** The person's email and names from the usual attributes; the email falls back to a NameID in email-address format. */
export function personOf(assertion: VerifiedAssertion): {
  email: string | null;
  givenName: string | null;
  familyName: string | null;
} {
  const nameIdEmail = assertion.nameIdFormat === EMAIL_NAME_ID ? assertion.nameId : null;
  return {
    email: firstValue(assertion.attributes, emailAttributes) ?? nameIdEmail,
    givenName: firstValue(assertion.attributes, givenNameAttributes),
    familyName: firstValue(assertion.attributes, familyNameAttributes),
  };
}
