import { describe, expect, it } from 'vitest';
import { publicMailDomains } from '../../src/operations/domains/public-mail-domains.js';
import {
  checkClaimableDomain,
  isRecordPrefix,
  lookupFailureReason,
  normalizeDomain,
  publicMailDomainSet,
  verificationOutcome,
  verificationRecord,
} from '../../src/rules/domains.js';
import { domainSchema } from '../../src/schemas/domains.js';

const label = (length: number, letter = 'a') => letter.repeat(length);

describe('normalizeDomain', () => {
  it.each<[string, string, string]>([
    ['a plain domain stays as it is', 'contoso.com', 'contoso.com'],
    ['upper case is lowered', 'Contoso.COM', 'contoso.com'],
    ['surrounding blanks are trimmed', '  contoso.com\t', 'contoso.com'],
    ['one trailing dot (the root) is dropped', 'contoso.com.', 'contoso.com'],
    ['a subdomain is a domain', 'mail.eu.contoso.com', 'mail.eu.contoso.com'],
    ['inner hyphens and digits are fine', 'a-1.b2b-portal.io', 'a-1.b2b-portal.io'],
    ['an internationalized name becomes punycode', 'münchen.de', 'xn--mnchen-3ya.de'],
    ['upper-case Unicode is mapped too', 'MÜNCHEN.DE', 'xn--mnchen-3ya.de'],
    ['punycode as typed is kept', 'xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['full-width letters are mapped to ASCII', 'ｃｏｎｔｏｓｏ.com', 'contoso.com'],
    ['a label of 63 characters is fine', `${label(63)}.com`, `${label(63)}.com`],
    [
      'a name of 253 characters is fine',
      `${label(63)}.${label(63)}.${label(63)}.${label(61)}`,
      `${label(63)}.${label(63)}.${label(63)}.${label(61)}`,
    ],
  ])('%s', (_, input, expected) => {
    expect(normalizeDomain(input)).toEqual({ ok: true, domain: expected });
  });

  it.each<[string, string, string]>([
    ['an address', 'ann@contoso.com', 'email-address'],
    ['an address with a display name', 'Ann <ann@contoso.com>', 'email-address'],
    ['a URL', 'https://contoso.com', 'url'],
    ['a URL without its scheme', 'contoso.com/login', 'url'],
    ['a port', 'contoso.com:443', 'url'],
    ['a query', 'contoso.com?x=1', 'url'],
    ['an IPv4 address', '192.0.2.1', 'ip-address'],
    ['an IPv4 address in hexadecimal', '0x7f.1', 'ip-address'],
    ['an IPv6 address', '2001:db8::1', 'ip-address'],
    ['a bracketed IPv6 address', '[::1]', 'ip-address'],
    ['a numeric top-level label', 'contoso.123', 'malformed'],
    ['a single label', 'localhost', 'malformed'],
    ['nothing', '', 'malformed'],
    ['blanks only', '   ', 'malformed'],
    ['a lone dot', '.', 'malformed'],
    ['two trailing dots', 'contoso.com..', 'malformed'],
    ['an empty label', 'contoso..com', 'malformed'],
    ['a leading dot', '.contoso.com', 'malformed'],
    ['a label starting with a hyphen', '-contoso.com', 'malformed'],
    ['a label ending with a hyphen', 'contoso-.com', 'malformed'],
    ['an underscore', 'con_toso.com', 'malformed'],
    ['a blank inside', 'con toso.com', 'malformed'],
    ['a percent escape', '%63ontoso.com', 'malformed'],
    ['a NUL character', 'contoso\u0000.com', 'malformed'],
    ['a soft hyphen', 'con\u00adtoso.com', 'malformed'],
    ['a label of 64 characters', `${label(64)}.com`, 'malformed'],
    ['invalid punycode', 'xn--zz.com', 'malformed'],
    ['a name of 254 characters', `${label(63)}.${label(63)}.${label(63)}.${label(62)}`, 'too-long'],
    ['a name of over 300 characters', `${Array(5).fill(label(59)).join('.')}.com`, 'too-long'],
  ])('refuses %s', (_, input, reason) => {
    const refused = normalizeDomain(input);
    expect(refused).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: { reason } });
    expect(refused.ok || refused.message.length > 10).toBe(true);
  });

  it('answers the same for a normalized domain (idempotent)', () => {
    for (const typed of ['Contoso.COM.', 'münchen.de', 'ｃｏｎｔｏｓｏ.com']) {
      const once = normalizeDomain(typed);
      if (!once.ok) throw new Error(once.message);
      expect(normalizeDomain(once.domain)).toEqual(once);
    }
  });

  it('refuses as input with a message that names the fault', () => {
    expect(domainSchema.safeParse('ann@contoso.com').error?.issues[0]?.message).toMatch(/not an email address/u);
    expect(domainSchema.safeParse('https://contoso.com').error?.issues[0]?.message).toMatch(/not a URL/u);
    expect(domainSchema.parse(' Contoso.com. ')).toBe('contoso.com');
  });
});

describe('checkClaimableDomain', () => {
  const providers = publicMailDomainSet(['gmail.com', 'outlook.com', 'web.de', 'müll.email', 'not a domain']);

  it.each<[string, string, string | null]>([
    ['a company domain is claimable', 'contoso.com', null],
    ['a public mail domain is refused', 'gmail.com', 'public-mail-domain'],
    ['a name under a public mail domain is refused', 'eu.outlook.com', 'public-mail-domain'],
    ['a domain ending like one but not under it is claimable', 'notgmail.com', null],
    ['an internationalized provider is matched in punycode', 'xn--mll-hoa.email', 'public-mail-domain'],
    ['a parent of a provider is claimable', 'de', null],
    [
      'a domain whose record name would exceed 253 characters is refused',
      `${label(63)}.${label(63)}.${label(63)}.${label(50)}`,
      'too-long',
    ],
  ])('%s', (_, domain, reason) => {
    const decision = checkClaimableDomain(domain, providers);
    if (reason === null) expect(decision).toEqual({ ok: true });
    else expect(decision).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: { reason } });
  });

  it('refuses the big providers with the maintained list, and leaves company domains alone', () => {
    const list = publicMailDomains();
    expect(list.size).toBeGreaterThan(8_000);
    expect(publicMailDomains()).toBe(list);
    for (const domain of ['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'gmx.de']) {
      expect(checkClaimableDomain(domain, list)).toMatchObject({ details: { reason: 'public-mail-domain' } });
    }
    for (const domain of ['contoso.com', 'fabrikam.de', 'example.org']) {
      expect(checkClaimableDomain(domain, list)).toEqual({ ok: true });
    }
  });
});

describe('the verification record', () => {
  it('is named under the domain and carries the token, with the default prefix or the installation’s', () => {
    expect(verificationRecord('contoso.com', 'abc')).toEqual({
      recordName: '_tenantry-verification.contoso.com',
      recordValue: 'tenantry-verification=abc',
    });
    expect(verificationRecord('contoso.com', 'abc', 'portal')).toEqual({
      recordName: '_portal.contoso.com',
      recordValue: 'portal=abc',
    });
  });

  it.each<[string, boolean]>([
    ['tenantry-verification', true],
    ['portal2', true],
    ['', false],
    ['Portal', false],
    ['-portal', false],
    ['with_underscore', false],
    ['two.labels', false],
    [label(41), false],
  ])('takes %j as a prefix: %s', (prefix, accepted) => {
    expect(isRecordPrefix(prefix)).toBe(accepted);
  });

  const expected = 'tenantry-verification=k7x2';
  it.each<[string, string[][], string]>([
    ['no record', [], 'record-missing'],
    ['the record alone', [[expected]], 'verified'],
    ['the record among others', [['v=spf1 -all'], [expected], ['google-site-verification=x']], 'verified'],
    ['the record in chunks, joined', [['tenantry-verif', 'ication=k7', 'x2']], 'verified'],
    ['the record with blanks around it', [[`  ${expected} `]], 'verified'],
    ['another value', [['tenantry-verification=other']], 'record-mismatch'],
    ['the value split across two records', [['tenantry-verification='], ['k7x2']], 'record-mismatch'],
    ['the value in another case', [[expected.toUpperCase()]], 'record-mismatch'],
    ['the value with more after it', [[`${expected}0`]], 'record-mismatch'],
    ['only other records', [['v=spf1 -all']], 'record-mismatch'],
  ])('with %s: %s', (_, records, outcome) => {
    expect(verificationOutcome(records, expected)).toBe(outcome);
  });

  it.each<[unknown, string]>([
    ['ENOTFOUND', 'record-missing'],
    ['ENODATA', 'record-missing'],
    ['ETIMEOUT', 'timeout'],
    ['ESERVFAIL', 'lookup-failed'],
    ['ECONNREFUSED', 'lookup-failed'],
    ['EREFUSED', 'lookup-failed'],
    [undefined, 'lookup-failed'],
  ])('reads the lookup error %j as %s', (code, reason) => {
    expect(lookupFailureReason(code)).toBe(reason);
  });
});
