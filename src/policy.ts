import { z } from 'zod';
import { parseInput } from './schemas/parse.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const positiveMs = z.number().int().positive();

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
  mailLimits: z
    .strictObject({
      perAddress: z.number().int().positive().default(5),
      perOrganization: z.number().int().positive().default(200),
      windowMs: positiveMs.default(HOUR),
    })
    .default({ perAddress: 5, perOrganization: 200, windowMs: HOUR }),
  import: z
    .strictObject({
      maxRows: z.number().int().positive().default(50_000),
      maxBytes: z
        .number()
        .int()
        .positive()
        .default(20 * 1024 * 1024),
    })
    .default({ maxRows: 50_000, maxBytes: 20 * 1024 * 1024 }),
});

/** The policy as configured (every field optional). */
export type PolicyInput = z.input<typeof policySchema>;
/** The policy in force, defaults applied. */
export type Policy = z.output<typeof policySchema>;

/** Applies defaults and refuses unsafe settings with `VALIDATION_FAILED`. */
export function resolvePolicy(input: PolicyInput | undefined): Policy {
  return parseInput(policySchema, input ?? {});
}
