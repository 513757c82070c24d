import { z } from 'zod';
import { normalizeEmail } from '../email.js';
import { displayText, hasLetterOrDigit, storableText } from './text.js';

/** Any string names an entity; one that names nothing answers NOT_FOUND later (one with a NUL is refused). */
export const idSchema = storableText(200);

/** A person's or organization's name: display text with at least one letter or digit. */
export const nameSchema = displayText({ max: 200 }).refine(hasLetterOrDigit, 'Enter a name with a letter or digit');

/** A phone number as typed; empty means none. */
export const phoneSchema = displayText({ min: 0, max: 200 })
  .nullable()
  .transform((value) => (value ? value : null));

/** An email address, normalized (trim, NFKC, lower-case domain) before it is validated. */
export const emailSchema = storableText(320).transform((raw, context) => {
  const email = normalizeEmail(raw);
  if (email === null) {
    context.addIssue({ code: 'custom', message: 'Enter one valid email address' });
    return z.NEVER;
  }
  return email;
});

/** A date as a Date or an ISO 8601 string with a time zone. */
export const dateSchema = z
  .union([z.date(), z.iso.datetime({ offset: true })])
  .transform((value) => new Date(value))
  .refine((date) => !Number.isNaN(date.getTime()), 'Invalid date');

const keySchema = storableText(100).min(1);

/** A list of permission or role keys, de-duplicated. */
export const keyListSchema = z
  .array(keySchema)
  .max(500)
  .transform((keys) => [...new Set(keys)]);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** Locale, time zone and formatting preferences. */
export const preferencesSchema = z.strictObject({
  locale: storableText(35).refine(isLocale, 'Unknown locale').optional(),
  timeZone: storableText(64).refine(isTimeZone, 'Unknown time zone').optional(),
  dateFormat: storableText(50).min(1).optional(),
  timeFormat: storableText(50).min(1).optional(),
  numberFormat: storableText(50).min(1).optional(),
});

/** Keyset cursor as handed out by a previous page. */
export const cursorSchema = storableText(2000).min(1);

/** A page size: 1–200. */
export const limitSchema = z.number().int().min(1).max(200);

/** A one-time link token or session token as handed out; its digest is what is looked up. */
export const opaqueTokenSchema = storableText(200).min(1);
