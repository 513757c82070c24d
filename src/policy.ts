import { z } from 'zod';
import { parseInput } from './schemas/parse.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const positiveMs = z.number().int().positive();
/** A retention period in whole days, up to ten years. */
const retentionDays = z.number().int().min(0).max(3650);

/** Who may change a built-in profile value after creation. */
const editor = z.enum(['self-and-admin', 'self', 'admin']).default('self-and-admin');

/** An allowance: `limit` at once, recovering over `windowMs` (see `spendAllowance`). */
const rate = (limit: number, windowMs: number) =>
  z.strictObject({ limit: z.number().int().positive(), windowMs: positiveMs }).default({ limit, windowMs });

/** The security and limits policy, with defaults from NIST SP 800-63B rev 4 and OWASP. */
export const policySchema = z.strictObject({
  password: z
    .strictObject({
      minLength: z.number().int().min(8, 'Passwords shorter than 8 characters are never allowed').max(256).default(15),
      maxLength: z.number().int().min(64).max(1024).default(256),
    })
    .refine((password) => password.minLength <= password.maxLength, 'minLength must not exceed maxLength')
    .default({ minLength: 15, maxLength: 256 }),
  lockout: z
    .strictObject({
      maxAttempts: z
        .number()
        .int()
        .min(1)
        .max(100, 'At most 100 consecutive failures (NIST SP 800-63B §5.2.2)')
        .default(5),
      durationMs: positiveMs.nullable().default(null),
    })
    .default({ maxAttempts: 5, durationMs: null }),
  session: z
    .strictObject({
      idleTimeoutMs: positiveMs.default(8 * HOUR),
      absoluteTimeoutMs: positiveMs.default(30 * DAY),
    })
    .default({ idleTimeoutMs: 8 * HOUR, absoluteTimeoutMs: 30 * DAY }),
  invitationTtlMs: positiveMs.default(7 * DAY),
  resetTtlMs: positiveMs.default(HOUR),
  requireTermsAcceptance: z.boolean().default(false),
  /**
   * Who may change each built-in profile value after the user was created:
   * `self-and-admin` (default), `self` (only the user: "only the user changes
   * their name") or `admin`. At creation the admin sets every one.
   */
  profile: z
    .strictObject({
      firstName: editor,
      lastName: editor,
      phone: editor,
      preferences: editor,
      emailNotifications: editor,
    })
    .prefault({}),
  /**
   * Budgets of mail with a link, per window, counted apart so that nobody can
   * spend another's: self-service requests (forgotten passwords) per address;
   * administrators' one-by-one sends per address and per organization.
   * Imports and invitations by address list are bounded by their own size
   * limits and count toward neither.
   */
  mailLimits: z
    .strictObject({
      /** Links mailed to one address, per budget. */
      perAddress: z.number().int().positive().default(5),
      /** Links mailed to one organization's users by its administrators' one-by-one sends. */
      perOrganization: z.number().int().positive().default(200),
      windowMs: positiveMs.default(HOUR),
    })
    .default({ perAddress: 5, perOrganization: 200, windowMs: HOUR }),
  rateLimits: z
    .strictObject({
      /** Off only for tests and trusted networks. */
      enabled: z.boolean().default(true),
      /** Failed sign-ins from one client address. */
      signInFailuresPerClient: rate(20, 5 * MINUTE),
      /** Failed sign-ins for one address, whoever tries (beside the account's lockout). */
      signInFailuresPerAccount: rate(10, 15 * MINUTE),
      /** Forgotten-password requests from one client address. */
      resetRequestsPerClient: rate(10, 15 * MINUTE),
      /** Invalid invitation, reset and challenge links tried from one client address. */
      invalidLinksPerClient: rate(20, 5 * MINUTE),
      /** SSO sign-ins started from one client address (each keeps a state until it expires). */
      ssoStartsPerClient: rate(30, 5 * MINUTE),
      /** Failed SSO completions from one client address. */
      ssoFailuresPerClient: rate(20, 5 * MINUTE),
      /** Audit events an outsider can cause (failed sign-ins, throttled mail) written per account and window. */
      auditEventsPerAccount: rate(20, HOUR),
      /** Failed sign-ins for addresses that have no account, written per window. */
      auditEventsForUnknownAccounts: rate(1000, HOUR),
    })
    .prefault({}),
  hashing: z
    .strictObject({
      /** Hashes computed at once in this process; null: one per CPU core. */
      concurrency: z.number().int().positive().nullable().default(null),
      /** Hashes that may wait their turn before more are refused with `RATE_LIMITED`. */
      maxWaiting: z.number().int().min(0).default(32),
    })
    .prefault({}),
  outbox: z
    .strictObject({
      /** Mails handed on at once by this process. */
      concurrency: z.number().int().min(1).max(256).default(16),
      /** Attempts before an item is kept as failed (`um.outbox.failed`). */
      maxAttempts: z.number().int().min(1).max(100).default(8),
      /** The first retry's delay; each next one doubles, up to an hour. */
      retryDelayMs: positiveMs.default(30_000),
      /** How long a courier holds the items it took, before another may take them (after a crash). */
      claimMs: positiveMs.default(5 * MINUTE),
      /** How long one attempt may wait for the mail server before it counts as failed. */
      sendTimeoutMs: positiveMs.default(MINUTE),
    })
    .prefault({}),
  import: z
    .strictObject({
      maxRows: z.number().int().positive().default(50_000),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(20 * 1024 * 1024),
      /** A running report that nothing updated for this long reads `interrupted`: its run died. */
      staleAfterMs: positiveMs.default(5 * MINUTE),
      /** Exceptions a report keeps in full; past that, they are only counted in `failed`. */
      maxExceptions: z.number().int().min(0).max(50_000).default(1000),
    })
    .prefault({}),
  mfa: z
    .strictObject({
      /** The name authenticator apps show beside a TOTP code (the `otpauth://` URI's issuer). */
      issuer: z.string().min(1).max(100).default('tenantry'),
      /** How long the challenge of a sign-in waiting for a second factor lives. */
      challengeTtlMs: positiveMs.max(HOUR).default(5 * MINUTE),
      /** How recent a session's sign-in must be to add or remove a factor or make new recovery codes. */
      recentSignInMs: positiveMs.default(15 * MINUTE),
      webauthn: z
        .strictObject({
          /** The relying party id: the site's domain (`portal.example.com`; `localhost` in development). */
          rpId: z.string().min(1).max(253).default('localhost'),
          /** The name authenticators show. */
          rpName: z.string().min(1).max(100).default('tenantry'),
          /** The origins passkeys are used from (`https://portal.example.com`). */
          origins: z.array(z.string().url()).min(1).default(['http://localhost']),
          /** How long a WebAuthn challenge lives. */
          challengeTtlMs: positiveMs.max(HOUR).default(5 * MINUTE),
        })
        .prefault({}),
    })
    .prefault({}),
  sso: z
    .strictObject({
      /** How long a started SSO sign-in waits for the provider to send the browser back. */
      loginTtlMs: positiveMs.max(HOUR).default(10 * MINUTE),
      /** The clock difference tolerated with SAML identity providers. */
      clockSkewMs: z
        .number()
        .int()
        .min(0)
        .max(10 * MINUTE)
        .default(2 * MINUTE),
    })
    .prefault({}),
  /**
   * How long what is over stays before `maintenance.purge` removes it. Days
   * count back from the purge's `now`; a record is removed once it has been
   * over for longer. Nothing live is ever removed.
   */
  retention: z
    .strictObject({
      /** Days a session stays after it was revoked or its absolute lifetime ended. */
      endedSessionsDays: retentionDays.default(30),
      /**
       * Days a one-time token (invitation, reset, sign-in challenge), a WebAuthn
       * challenge, a started SSO sign-in or an accepted SAML assertion id stays
       * after it was used or expired. Tokens also stay for the mail budgets'
       * window (`mailLimits.windowMs`), which counts them, should that be longer.
       */
      usedTokensDays: retentionDays.default(7),
      /** Days an import report stays after it was last written (finished, or its run died); null: kept forever. */
      importReportsDays: retentionDays.min(1).nullable().default(null),
      /**
       * Days an audit event stays; null (the default): kept forever. Export
       * the trail (`audit.export`) before turning this on.
       */
      auditEventsDays: retentionDays.min(1).nullable().default(null),
      /** Rows removed per statement, each batch in a transaction of its own, so no lock is held for long. */
      batchSize: z.number().int().min(1).max(100_000).default(1000),
    })
    .prefault({}),
  /**
   * The search index of large organizations, where the storage keeps one
   * (PostgreSQL), rebuilt by `maintenance.refreshSearch`: organizations of
   * `fromUsers` users or more get one; it is rebuilt once
   * `rebuildAfterChanges` of their users were added or renamed since.
   */
  searchIndex: z
    .strictObject({
      fromUsers: z.number().int().min(1).default(10_000),
      rebuildAfterChanges: z.number().int().min(1).default(1_000),
    })
    .prefault({}),
});

/** The policy as configured (every field optional). */
export type PolicyInput = z.input<typeof policySchema>;
/** The policy in force, defaults applied. */
export type Policy = z.output<typeof policySchema>;

/** Applies defaults and refuses unsafe settings with `VALIDATION_FAILED`. */
export function resolvePolicy(input: PolicyInput | undefined): Policy {
  return parseInput(policySchema, input ?? {});
}
