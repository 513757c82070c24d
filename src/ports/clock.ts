/** The only source of time in tenantry. */
export interface Clock {
  now(): Date;
}

/**
 * The clock that reads the system time.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, clock: systemClock });
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: () => new Date() });
