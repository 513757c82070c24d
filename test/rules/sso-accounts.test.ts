import { describe, expect, it } from 'vitest';
import {
  mappedAccess,
  providerUsedSecondFactor,
  type SsoAccountFacts,
  safeReturnTo,
  ssoAccountDecision,
} from '../../src/rules/sso-accounts.js';

const own = { id: 'usr_own', organizationId: 'org_a' };
const other = { id: 'usr_other', organizationId: 'org_b' };
const facts = (change: Partial<SsoAccountFacts>): SsoAccountFacts => ({
  connectionOrganizationId: 'org_a',
  verifiedDomains: ['contoso.test'],
  email: 'cleo@contoso.test',
  emailVerified: null,
  linkedUser: null,
  userWithEmail: null,
  ...change,
});

describe('ssoAccountDecision', () => {
  const cases: [string, Partial<SsoAccountFacts>, ReturnType<typeof ssoAccountDecision>][] = [
    ['a newcomer in a verified domain is created', {}, { outcome: 'create' }],
    ['the provider saying it verified the address changes nothing', { emailVerified: true }, { outcome: 'create' }],
    [
      'an address the provider has not verified',
      { emailVerified: false },
      { outcome: 'refuse', reason: 'email-unverified' },
    ],
    ['no address', { email: null }, { outcome: 'refuse', reason: 'email-missing' }],
    ['an unverified domain', { email: 'cleo@elsewhere.test' }, { outcome: 'refuse', reason: 'domain-not-verified' }],
    [
      'a subdomain is another domain',
      { email: 'cleo@eu.contoso.test' },
      { outcome: 'refuse', reason: 'domain-not-verified' },
    ],
    ['a domain differing in case is the same', { email: 'cleo@Contoso.TEST' }, { outcome: 'create' }],
    ['a user of the company with the address is linked', { userWithEmail: own }, { outcome: 'link', userId: own.id }],
    [
      'a user of another company with the address',
      { userWithEmail: other },
      { outcome: 'refuse', reason: 'user-in-other-organization' },
    ],
    [
      'a linked identity signs its user in',
      { linkedUser: own, userWithEmail: own },
      { outcome: 'linked', userId: own.id },
    ],
    [
      'a link to another company’s user',
      { linkedUser: other },
      { outcome: 'refuse', reason: 'user-in-other-organization' },
    ],
    [
      'a linked identity outside the verified domains',
      { linkedUser: own, email: 'x@elsewhere.test' },
      { outcome: 'refuse', reason: 'domain-not-verified' },
    ],
    [
      'a domain verified by no organization at all',
      { verifiedDomains: [] },
      { outcome: 'refuse', reason: 'domain-not-verified' },
    ],
  ];
  it.each(cases)('%s', (_, change, decision) => {
    expect(ssoAccountDecision(facts(change))).toEqual(decision);
  });
});

describe('mappedAccess', () => {
  const mapping = {
    claim: 'groups',
    map: {
      editors: { roles: ['advanced'], permissions: [] },
      managers: { roles: ['manager'], permissions: ['tickets.view'] },
    },
  };
  it('unites what each value maps to, and answers null when none maps', () => {
    expect(mappedAccess(mapping, { groups: ['managers', 'editors', 'other'] })).toEqual({
      roles: ['advanced', 'manager'],
      permissions: ['tickets.view'],
    });
    expect(mappedAccess(mapping, { groups: 'editors' })).toEqual({ roles: ['advanced'], permissions: [] });
    expect(mappedAccess(mapping, { groups: ['nobody'] })).toBeNull();
    expect(mappedAccess(mapping, { groups: 42 })).toBeNull();
    expect(mappedAccess(mapping, { groups: ['__proto__', 'constructor'] })).toBeNull();
    expect(mappedAccess(null, { groups: ['editors'] })).toBeNull();
  });
});

describe('safeReturnTo', () => {
  it.each([
    ['/users?tab=2', '/users?tab=2'],
    ['//evil.example', null],
    ['https://evil.example', null],
    ['/\\evil.example', null],
    ['users', null],
    ['/a\nb', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });
});

describe('providerUsedSecondFactor', () => {
  it('reads OIDC amr values and SAML authentication contexts', () => {
    expect(providerUsedSecondFactor({ amr: ['pwd', 'mfa'], authnContext: null })).toBe(true);
    expect(providerUsedSecondFactor({ amr: ['pwd', 'otp'], authnContext: null })).toBe(true);
    expect(providerUsedSecondFactor({ amr: ['pwd'], authnContext: null })).toBe(false);
    expect(
      providerUsedSecondFactor({ amr: ['http://schemas.microsoft.com/claims/multipleauthn'], authnContext: null }),
    ).toBe(true);
    expect(
      providerUsedSecondFactor({ amr: [], authnContext: 'http://schemas.microsoft.com/claims/multipleauthn' }),
    ).toBe(true);
    expect(
      providerUsedSecondFactor({
        amr: [],
        authnContext: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      }),
    ).toBe(false);
  });
});
