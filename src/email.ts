const LOOKALIKE_AT = /[\uFF20\uFE6B\u2100\u2101]/u;
const FORBIDDEN_CHARACTERS = /[\s"(),:;<>[\]\\]/u;
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * Normalizes an email address the one way tenantry compares them: trimmed,
 * NFKC, domain lower-cased. Returns null for anything that is not exactly one
 * plain address: lists, quoted local parts, look-alike `＠`, missing dots, and
 * addresses in `.invalid` (RFC 2606), the domain erased users' tombstones use:
 * nobody can hold one, so nobody can block an erasure by taking its address.
 */
export function normalizeEmail(raw: string): string | null {
  if (LOOKALIKE_AT.test(raw)) return null;
  const email = raw.trim().normalize('NFKC');
  if (email.length > 254 || FORBIDDEN_CHARACTERS.test(email)) return null;
  const at = email.indexOf('@');
  if (at <= 0 || at !== email.lastIndexOf('@')) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  const topLevel = labels.at(-1) ?? '';
  if (!/^\p{L}{2,}$|^xn--[a-z0-9-]+$/u.test(topLevel) || topLevel === 'invalid') return null;
  return `${local}@${domain}`;
}

/** The key under which emails are unique: the normalized address, lower-cased. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

/**
 * A name guessed from an address, for people invited by address alone:
 * `john.smith@x` → John Smith, `mary-ann_lee+portal@x` → Mary Ann Lee,
 * `jsmith@x` → Jsmith with no last name. The people can correct it later.
 * Only words with a letter or digit count; an address without one
 * (`+portal@x`, `!!@x`) gives no name, and null.
 */
export function nameFromEmail(email: string): { firstName: string; lastName: string } | null {
  const local = email.slice(0, email.indexOf('@')).split('+')[0] ?? '';
  const words = local
    .split(/[._-]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .map((word) => word.charAt(0).toLocaleUpperCase() + word.slice(1).toLocaleLowerCase());
  const [firstName, ...rest] = words;
  return firstName === undefined ? null : { firstName, lastName: rest.join(' ') };
}
