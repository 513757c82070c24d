import { z } from 'zod';
import { isRecordPrefix, normalizeDomain } from '../rules/domains.js';
import { storableText } from './text.js';

/**
 * A mail domain as typed (`Contoso.com`, `münchen.de`), normalized by
 * {@link normalizeDomain}: lower case, ASCII, without the trailing dot.
 * Anything else (an address, a URL, an IP address) is refused with its reason.
 */
export const domainSchema = storableText(1000)
  .min(1, 'Enter a domain name such as contoso.com')
  .transform((typed, context) => {
    const normalized = normalizeDomain(typed);
    if (!normalized.ok) {
      context.addIssue({ code: 'custom', message: normalized.message });
      return z.NEVER;
    }
    return normalized.domain;
  });

/** How an installation verifies domains (`domainVerification` of the options). */
export const domainVerificationOptionsSchema = z
  .strictObject({
    /**
     * What the TXT record is named and starts with: `_<prefix>.<domain>`,
     * `<prefix>=<token>` (default `tenantry-verification`). Changing it
     * changes the record of every claim, published ones included.
     */
    recordPrefix: z
      .string()
      .refine(isRecordPrefix, 'A record prefix is one DNS label of at most 40 lower-case letters, digits and hyphens')
      .default('tenantry-verification'),
    /** How long one verification may wait for DNS, in milliseconds, before it answers `timeout`. */
    lookupTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  })
  .prefault({});

/** The domain verification settings in force. */
export type DomainVerificationSettings = z.output<typeof domainVerificationOptionsSchema>;
/** How an installation verifies domains, as given in the options (each setting has a default). */
export type DomainVerificationOptions = z.input<typeof domainVerificationOptionsSchema>;
