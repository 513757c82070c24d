import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import samlify from 'samlify';

/** The person the test identity provider signs in. */
export interface SamlTestUser {
  nameId: string;
  email: string;
  givenName: string;
  familyName: string;
  groups?: string[];
}

/** How a response should differ from a valid one, for the tests of its refusal. */
export interface SamlResponseVariant {
  /** What the IdP signs: the assertion (the default), the whole response, both, or nothing at all. */
  signing?: 'assertion' | 'response' | 'both' | 'none';
  /** The audience to name instead of the requesting service provider. */
  audience?: string;
  /** The assertion's validity window, instead of from now to five minutes from now. */
  validity?: { notBefore: Date; notOnOrAfter: Date };
  /** An error status instead of Success: then no assertion, and only the response is signed. */
  errorStatus?: 'Requester' | 'Responder';
}

/** A response as the browser would post it to the service provider. */
export interface SamlTestResponse {
  samlResponse: string;
  relayState: string | null;
  acsUrl: string;
}

/** A running test identity provider. */
export interface SamlTestIdp {
  entityId: string;
  metadataXml: string;
  /** Where GET serves the metadata. */
  metadataUrl: string;
  /** The HTTP-Redirect sign-in URL the metadata names. */
  ssoUrl: string;
  /** Answers the AuthnRequest in this redirect URL for the user, as samlify builds and signs it. */
  respond(authnRequestUrl: string, user: SamlTestUser, variant?: SamlResponseVariant): Promise<SamlTestResponse>;
  close(): Promise<void>;
}

const { binding, format, authnContextClassRef } = samlify.Constants.namespace;
const { StatusCode } = samlify.Constants;

// samlify refuses to parse messages until a schema validator is set. This IdP
// only reads requests of the portal under test: being well-formed will do.
samlify.setSchemaValidator({
  validate: async (xml: string) => {
    const refuse = (message: string) => {
      throw new Error(message);
    };
    new DOMParser({ errorHandler: { warning: refuse, error: refuse, fatalError: refuse } }).parseFromString(xml);
    return 'well-formed';
  },
});

/** A fresh RSA key and a self-signed certificate for it, made by openssl for this run only. */
export function signingKeyPair(commonName: string): { privateKey: string; certificate: string } {
  const pem = execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', '-', '-subj', `/CN=${commonName}`, '-days', '2'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const block = (label: string) => {
    const found = pem.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----\\n`))?.[0];
    if (found === undefined) throw new Error(`openssl printed no ${label}`);
    return found;
  };
  return { privateKey: block('PRIVATE KEY'), certificate: block('CERTIFICATE') };
}

// The optional statements of samlify's login response template, with tags of
// their own that samlify fills in (escaping every value) like its own tags.
const authnStatement =
  '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}"><saml:AuthnContext>' +
  '<saml:AuthnContextClassRef>{AuthnContextClassRef}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>';

function attribute(name: string, friendlyName: string | null, tags: string[]): string {
  const friendly = friendlyName === null ? '' : ` FriendlyName="${friendlyName}"`;
  const values = tags.map((tag) => `<saml:AttributeValue xsi:type="xs:string">{${tag}}</saml:AttributeValue>`);
  return `<saml:Attribute Name="${name}"${friendly} NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values.join('')}</saml:Attribute>`;
}

function attributeStatement(user: SamlTestUser): { template: string; values: Record<string, string> } {
  const groups = user.groups ?? [];
  const groupTags = groups.map((_, index) => `AttrGroup${index}`);
  const template = [
    attribute('urn:oid:0.9.2342.19200300.100.1.3', 'mail', ['AttrMail']),
    attribute('urn:oid:2.5.4.42', 'givenName', ['AttrGivenName']),
    attribute('urn:oid:2.5.4.4', 'sn', ['AttrSurname']),
    groups.length > 0 ? attribute('groups', null, groupTags) : '',
  ].join('');
  const values: Record<string, string> = {
    AttrMail: user.email,
    AttrGivenName: user.givenName,
    AttrSurname: user.familyName,
  };
  groups.forEach((group, index) => {
    values[`AttrGroup${index}`] = group;
  });
  return { template: `<saml:AttributeStatement>${template}</saml:AttributeStatement>`, values };
}

/**
 * Starts an identity provider on loopback, built on samlify's
 * IdentityProvider with a signing key made for this run. GET `/metadata`
 * serves its metadata; GET `/sso` answers an AuthnRequest for
 * `options.user` with a form that posts the response to the service
 * provider (for a browser); `respond()` gives the response to a test directly.
 */
export async function startSamlIdp(options: { entityId?: string; user?: SamlTestUser } = {}): Promise<SamlTestIdp> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    if (request.method === 'GET' && url.pathname === '/metadata') {
      response.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(metadataXml);
    } else if (request.method === 'GET' && url.pathname === '/sso' && options.user) {
      respond(url.href, options.user).then(
        (posted) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(autoPostForm(posted)),
        () => response.writeHead(400).end('This is not an AuthnRequest this identity provider can answer'),
      );
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = options.entityId ?? `${base}/metadata`;
  const keys = signingKeyPair('tenantry test idp');
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.privateKey,
    signingCert: keys.certificate,
    nameIDFormat: [format.emailAddress],
    singleSignOnService: [{ Binding: binding.redirect, Location: `${base}/sso` }],
    singleLogoutService: [{ Binding: binding.redirect, Location: `${base}/slo` }],
  });
  const metadataXml = idp.getMetadata();
  // samlify wants a service provider to parse a request with; an unsigned
  // AuthnRequest needs nothing of it.
  const anyServiceProvider = samlify.ServiceProvider({ entityID: 'urn:tenantry:test:any-sp' });

  const respond: SamlTestIdp['respond'] = async (authnRequestUrl, user, variant = {}) => {
    const url = new URL(authnRequestUrl);
    const query = Object.fromEntries(url.searchParams);
    const request = await idp.parseLoginRequest(anyServiceProvider, 'redirect', {
      query,
      octetString: url.search.slice(1),
    });
    const { id: requestId, assertionConsumerServiceUrl: acsUrl } = request.extract.request as Record<string, string>;
    const spEntityId = request.extract.issuer as string;
    if (!requestId || !acsUrl || !spEntityId) throw new Error('The AuthnRequest names no ID, ACS URL or issuer');
    const signing = variant.errorStatus && variant.signing !== 'none' ? 'response' : (variant.signing ?? 'assertion');
    const sp = samlify.ServiceProvider({
      entityID: spEntityId,
      assertionConsumerService: [
        { Binding: binding.post, Location: acsUrl },
        { Binding: binding.redirect, Location: acsUrl },
      ],
      wantAssertionsSigned: signing === 'assertion' || signing === 'both',
      wantMessageSigned: signing === 'response' || signing === 'both',
    });
    const now = new Date();
    const notOnOrAfter = variant.validity?.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
    const attributes = attributeStatement(user);
    const values = {
      ID: `_${randomUUID()}`,
      AssertionID: `_${randomUUID()}`,
      SessionIndex: `_${randomUUID()}`,
      Destination: acsUrl,
      SubjectRecipient: acsUrl,
      Audience: variant.audience ?? spEntityId,
      Issuer: entityId,
      IssueInstant: now.toISOString(),
      StatusCode: variant.errorStatus ? StatusCode[variant.errorStatus] : StatusCode.Success,
      ConditionsNotBefore: (variant.validity?.notBefore ?? now).toISOString(),
      ConditionsNotOnOrAfter: notOnOrAfter.toISOString(),
      SubjectConfirmationDataNotOnOrAfter: notOnOrAfter.toISOString(),
      NameIDFormat: format.emailAddress,
      NameID: user.nameId,
      InResponseTo: requestId,
      AuthnContextClassRef: authnContextClassRef.passwordProtectedTransport,
      ...attributes.values,
    };
    const customTagReplacement = (template: string) => {
      const expanded = variant.errorStatus
        ? template.replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, '')
        : template.replace('{AuthnStatement}', authnStatement).replace('{AttributeStatement}', attributes.template);
      return { id: values.ID, context: samlify.SamlLib.replaceTagsByValue(expanded, values) };
    };
    const relayState = url.searchParams.get('RelayState');
    const bindingOptions = { customTagReplacement, ...(relayState === null ? {} : { relayState }) };
    if (signing !== 'none') {
      const posted = await idp.createLoginResponse(
        sp,
        { extract: request.extract },
        'post',
        { email: user.email },
        bindingOptions,
      );
      return { samlResponse: posted.context, relayState, acsUrl };
    }
    // Over HTTP-Redirect the signature travels in the query, not in the XML:
    // unwrapped from the URL, samlify's message is an unsigned response.
    const redirected = await idp.createLoginResponse(
      sp,
      { extract: request.extract },
      'redirect',
      { email: user.email },
      bindingOptions,
    );
    const deflated = new URL(redirected.context).searchParams.get('SAMLResponse') ?? '';
    const samlResponse = inflateRawSync(Buffer.from(deflated, 'base64')).toString('base64');
    return { samlResponse, relayState, acsUrl };
  };

  return {
    entityId,
    metadataXml,
    metadataUrl: `${base}/metadata`,
    ssoUrl: `${base}/sso`,
    respond,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The page an IdP answers with: a form that posts the response to the ACS URL as soon as it loads. */
function autoPostForm({ samlResponse, relayState, acsUrl }: SamlTestResponse): string {
  const relay = relayState === null ? '' : `<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}">`;
  return `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">${relay}<noscript><button>Continue</button></noscript></form></body></html>`;
}
