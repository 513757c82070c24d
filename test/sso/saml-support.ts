import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { afterAll, beforeAll, expect } from 'vitest';
import { TenantryError } from '../../src/errors.js';
import {
  parseIdpMetadata,
  type SamlFailure,
  type SamlIdpSettings,
  type SamlServiceProvider,
  samlSignInRequest,
  validateSamlResponse,
} from '../../src/sso/saml.js';
import { type SamlResponseVariant, type SamlTestIdp, type SamlTestUser, startSamlIdp } from '../support/saml-idp.js';

export const NS = {
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
};
export const sp: SamlServiceProvider = {
  entityId: 'https://portal.example/sso/metadata',
  acsUrl: 'https://portal.example/sso/acs',
};
export const ann: SamlTestUser = {
  nameId: 'ann@acme.example',
  email: 'ann@acme.example',
  givenName: 'Ann',
  familyName: 'Archer',
  groups: ['engineering', 'portal-admins'],
};
export const mallory = 'mallory@evil.example';
export const minutes = (count: number) => new Date(Date.now() + count * 60_000);

/** The test IdP of the file that called useSamlIdp, and the settings read from its metadata. */
export let idp: SamlTestIdp;
export let settings: SamlIdpSettings;

/** Starts the test IdP, signing Ann in, around the tests of the calling file. */
export function useSamlIdp(): void {
  beforeAll(async () => {
    idp = await startSamlIdp({ user: ann });
    settings = parseIdpMetadata(await (await fetch(idp.metadataUrl)).text());
  });
  afterAll(() => idp?.close());
}

export async function signIn(
  variant?: SamlResponseVariant,
  from: { sp?: SamlServiceProvider; idp?: SamlTestIdp } = {},
) {
  const { url, requestId } = await samlSignInRequest(settings, from.sp ?? sp, { relayState: 'state-123' });
  return { requestId, ...(await (from.idp ?? idp).respond(url, ann, variant)) };
}

export const validate = (samlResponse: string, expectedRequestId: string, clockSkewMs?: number) =>
  validateSamlResponse(settings, sp, { samlResponse, expectedRequestId, ...(clockSkewMs ? { clockSkewMs } : {}) });

/** The reason of the refusal, checking that nothing of the response leaks into the message or details. */
export async function refusal(validation: Promise<unknown>): Promise<SamlFailure> {
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

export const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
export const decoded = (samlResponse: string) => parse(Buffer.from(samlResponse, 'base64').toString('utf8'));
export const encoded = (document: Document) =>
  Buffer.from(new XMLSerializer().serializeToString(document)).toString('base64');
export const first = (node: Document | Element, ns: string, name: string) => node.getElementsByTagNameNS(ns, name)[0]!;
export const child = (parent: Element, ns: string, name: string) =>
  Array.from(parent.childNodes).find(
    (node): node is Element =>
      node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === name,
  );
/** The NameID a naive reader finds: that of the Response's first Assertion child. */
export const naiveNameId = (document: Document) =>
  child(child(child(document.documentElement, NS.saml, 'Assertion')!, NS.saml, 'Subject')!, NS.saml, 'NameID')!
    .textContent;

export function expectValidationFailed(read: () => unknown) {
  expect(read).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
}
