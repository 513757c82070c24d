import { allowed, type Decision, type Refusal, refuse } from './decision.js';

/** The longest domain name DNS can carry, in ASCII without the trailing dot (RFC 1035 §2.3.4). */
export const MAX_DOMAIN_LENGTH = 253;

/** The prefix of the verification record's name and value unless the installation chose its own. */
export const DEFAULT_RECORD_PREFIX = 'tenantry-verification';

/** Why a domain was refused as input. */
export type DomainRefusalReason =
  | 'email-address'
  | 'url'
  | 'ip-address'
  | 'too-long'
  | 'malformed'
  | 'public-mail-domain';

/** Why a verification did not find its record: what `DOMAIN_UNVERIFIED` carries as `details.reason`. */
export type VerificationFailure = 'record-missing' | 'record-mismatch' | 'lookup-failed' | 'timeout';

/** A normalized domain, or why the input is not one. */
export type NormalizedDomain = { ok: true; domain: string } | Refusal;

/** One hostname label: letters, digits and inner hyphens, 1–63 characters (RFC 1123). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Letters and marks (of an internationalized name), digits, dots and hyphens; nothing a URL or a port would bring.
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.-]+$/u;
const URL_CHARACTERS = /[/\\?#:]/;
const BRACKETED = /^\[.*\]$/;
const DIGITS = /^[0-9]+$/;

function refuseDomain(reason: DomainRefusalReason, message: string): Refusal {
  return refuse('VALIDATION_FAILED', message, { reason });
}

const malformed = () =>
  refuseDomain(
    'malformed',
    'Enter a domain name such as contoso.com: two or more labels of letters, digits and hyphens, separated by dots',
  );

/**
 * The domain as tenantry keeps it, from what an admin typed: trimmed, lower
 * case, one trailing dot dropped, an internationalized name in its punycode
 * form (`münchen.de` → `xn--mnchen-3ya.de`). Refused (`VALIDATION_FAILED`,
 * `details.reason`) unless it is a hostname of two or more labels, each 1–63
 * letters, digits and inner hyphens, 253 characters in all: an address
 * (`ann@contoso.com`), a URL, an IP address or a port is not a domain.
 *
 * @example
 * ```ts
 * normalizeDomain(' Contoso.COM. '); // { ok: true, domain: 'contoso.com' }
 * normalizeDomain('ann@contoso.com'); // refused: reason 'email-address'
 * ```
 */
export function normalizeDomain(input: string): NormalizedDomain {
  const typed = input.trim().toLowerCase();
  if (typed.includes('@')) {
    return refuseDomain('email-address', 'Enter the domain alone (contoso.com), not an email address');
  }
  if (BRACKETED.test(typed) || (typed.includes(':') && /^[0-9a-f:.]+$/.test(typed))) {
    return refuseDomain('ip-address', 'Enter a domain name (contoso.com), not an IP address');
  }
  if (URL_CHARACTERS.test(typed)) {
    return refuseDomain('url', 'Enter the domain alone (contoso.com), not a URL or a port');
  }
  const name = typed.endsWith('.') ? typed.slice(0, -1) : typed;
  if (!DOMAIN_CHARACTERS.test(name)) return malformed();
  // WHATWG's domain-to-ASCII (UTS #46 mapping and punycode) through the global URL parser, so the rule runs in
  // browsers too; the same answer on every run, and a parse error for what it rejects.
  const ascii = domainToAscii(name);
  if (ascii === null) return malformed();
  const labels = ascii.split('.');
  // A name ending in a number is read as an IPv4 address (`0x7f.1` comes back as `127.0.0.1`); no TLD is numeric.
  if (DIGITS.test(labels.at(-1) ?? '')) {
    return refuseDomain('ip-address', 'Enter a domain name (contoso.com), not an IP address');
  }
  if (ascii.length > MAX_DOMAIN_LENGTH) {
    return refuseDomain('too-long', `A domain name has at most ${MAX_DOMAIN_LENGTH} characters`);
  }
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return malformed();
  return { ok: true, domain: ascii };
}

/** Whether `prefix` can start a record name and value: one hostname label, short enough to leave room for a domain. */
export function isRecordPrefix(prefix: string): boolean {
  return prefix.length <= 40 && LABEL.test(prefix);
}

/**
 * The TXT record that proves a claim of `domain`: published at
 * `_<prefix>.<domain>` with the value `<prefix>=<token>`.
 */
export function verificationRecord(
  domain: string,
  token: string,
  prefix: string = DEFAULT_RECORD_PREFIX,
): { recordName: string; recordValue: string } {
  return { recordName: `_${prefix}.${domain}`, recordValue: `${prefix}=${token}` };
}

/**
 * The public mail domains as a set of normalized names, from a list such as
 * `email-providers`' (entries that are not domains are left out).
 */
export function publicMailDomainSet(list: Iterable<string>): ReadonlySet<string> {
  const domains = new Set<string>();
  for (const entry of list) {
    const normalized = normalizeDomain(entry);
    if (normalized.ok) domains.add(normalized.domain);
  }
  return domains;
}

/** The domain and each of its parents of two labels or more: `a.b.c.com`, `b.c.com`, `c.com`. */
function selfAndParents(domain: string): string[] {
  const labels = domain.split('.');
  return labels.slice(0, -1).map((_, index) => labels.slice(index).join('.'));
}

/**
 * Whether an organization may claim a (normalized) domain: not one of the
 * public mail providers, whose addresses anyone can get, nor a name under
 * one; and short enough for its verification record's name to fit in DNS.
 */
export function checkClaimableDomain(
  domain: string,
  publicMailDomains: ReadonlySet<string>,
  prefix: string = DEFAULT_RECORD_PREFIX,
): Decision {
  if (selfAndParents(domain).some((name) => publicMailDomains.has(name))) {
    return refuseDomain(
      'public-mail-domain',
      `${domain} is a public mail provider's domain: anyone can have an address there, so it cannot identify a company`,
    );
  }
  if (verificationRecord(domain, '', prefix).recordName.length > MAX_DOMAIN_LENGTH) {
    return refuseDomain('too-long', 'This domain is too long for its verification record to fit in DNS');
  }
  return allowed;
}

/**
 * What the TXT records of the verification name say of the expected value:
 * `verified` when one of them (its chunks joined, as DNS splits long strings
 * into 255-character chunks) equals it, trimmed; `record-mismatch` when
 * there are records but none holds it; `record-missing` when there are none.
 */
export function verificationOutcome(
  records: readonly (readonly string[])[],
  expectedValue: string,
): 'verified' | 'record-missing' | 'record-mismatch' {
  if (records.length === 0) return 'record-missing';
  return records.some((chunks) => chunks.join('').trim() === expectedValue) ? 'verified' : 'record-mismatch';
}

/**
 * Why a failed lookup failed, from the `code` of the `node:dns` error: no
 * such name, or no TXT record at it, is a missing record; a timeout is one;
 * anything else (a server failure, a refusal, no server at all) is a failed lookup.
 */
export function lookupFailureReason(code: unknown): 'record-missing' | 'lookup-failed' | 'timeout' {
  if (code === 'ENOTFOUND' || code === 'ENODATA') return 'record-missing';
  if (code === 'ETIMEOUT') return 'timeout';
  return 'lookup-failed';
}

/** The words of a failed verification, for the admin who publishes the record. */
export function verificationFailureMessage(reason: VerificationFailure, recordName: string): string {
  switch (reason) {
    case 'record-missing':
      return `No TXT record was found at ${recordName}; publish it, then verify again (DNS changes can take a while)`;
    case 'record-mismatch':
      return `The TXT records at ${recordName} do not hold the expected value`;
    case 'lookup-failed':
      return `The DNS lookup of ${recordName} failed; try again later`;
    case 'timeout':
      return `The DNS lookup of ${recordName} took too long; try again later`;
  }
}

/** A host name in its ASCII form, as the URL standard gives it; null when the standard refuses it. */
function domainToAscii(name: string): string | null {
  try {
    const { hostname } = new URL(`http://${name}/`);
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}
