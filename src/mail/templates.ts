import type { MailKind } from '../ports/mailer.js';

/** What a template knows about the message it renders. */
export interface MailContext {
  kind: MailKind;
  /** The recipient's locale, when they chose one. */
  locale: string | undefined;
  firstName: string;
  lastName: string;
  organizationName: string;
  /** The one actionable URL, if any. */
  link?: string | undefined;
  expiresAt?: Date | undefined;
  /** For `import-finished`: what the import did. */
  summary?: ImportSummary | undefined;
}

/** The counts an `import-finished` mail reports. */
export interface ImportSummary {
  dryRun: boolean;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** A rendered mail. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One plain function per kind of mail; the host app overrides any of them. */
export type MailTemplates = Record<string, (context: MailContext) => RenderedMail>;

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Formatters by locale, made once each: making one costs about as much as the rest of an invitation's mail. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Locales come from users' preferences, so the cache is bounded; the oldest formatter goes first. */
const mostDateFormats = 32;

function dateFormatOf(locale: string): Intl.DateTimeFormat {
  const known = dateFormats.get(locale);
  if (known) return known;
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  if (dateFormats.size >= mostDateFormats) dateFormats.delete(dateFormats.keys().next().value as string);
  dateFormats.set(locale, format);
  return format;
}

function formatDate(date: Date | undefined, locale: string | undefined): string {
  if (!date) return '';
  try {
    return dateFormatOf(locale ?? 'en').format(date);
  } catch {
    // A locale Intl does not know.
    return date.toISOString();
  }
}

function noticeMail(
  subject: string,
  lines: string[],
  context: MailContext,
  action?: { label: string; link: string },
): RenderedMail {
  const text = [`Hello ${context.firstName},`, '', ...lines];
  const html = [`<p>Hello ${escapeHtml(context.firstName)},</p>`, ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)];
  if (action) {
    text.push('', `${action.label}: ${action.link}`);
    html.push(`<p><a href="${escapeHtml(action.link)}">${escapeHtml(action.label)}</a></p>`);
  }
  return { subject, text: text.join('\n'), html: html.join('\n') };
}

function actionMail(subject: string, lines: string[], label: string, context: MailContext): RenderedMail {
  return noticeMail(subject, lines, context, { label, link: context.link ?? '' });
}

/** tenantry's default templates (English). */
export const defaultMailTemplates: MailTemplates = {
  invitation: (context) =>
    actionMail(
      `You are invited to ${context.organizationName}`,
      [
        `You have been invited to join ${context.organizationName}. Choose your password to activate your account.`,
        `The link works once and until ${formatDate(context.expiresAt, context.locale)} (UTC).`,
      ],
      'Accept the invitation',
      context,
    ),
  'password-reset': (context) =>
    actionMail(
      'Reset your password',
      [
        'Someone asked to reset the password of your account. If it was you, choose a new password with the link below.',
        `The link works once and until ${formatDate(context.expiresAt, context.locale)} (UTC). If it was not you, ignore this mail.`,
      ],
      'Choose a new password',
      context,
    ),
  'email-changed': (context) =>
    noticeMail(
      'Your sign-in address was changed',
      [
        `The sign-in address of your ${context.organizationName} account was changed by an administrator.`,
        'Mail will now go to the new address. If you did not expect this, contact your administrator.',
      ],
      context,
    ),
  'import-finished': (context) => {
    const summary = context.summary ?? { dryRun: false, created: 0, updated: 0, skipped: 0, failed: 0 };
    const counts = `${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.failed} with problems.`;
    return noticeMail(
      summary.dryRun ? 'Your import check has finished' : 'Your import has finished',
      [
        `${summary.dryRun ? 'The check of your import' : 'Your import'} into ${context.organizationName} has finished: ${counts}`,
        summary.failed > 0 ? 'The import history lists each row with a problem and why.' : 'Every row went in.',
      ],
      context,
    );
  },
  'factor-added': (context) =>
    noticeMail(
      'A second factor was added to your account',
      [
        `A new way to confirm your sign-ins (an authenticator app or a passkey) was added to your ${context.organizationName} account.`,
        'If this was not you, tell your administrator at once: they can remove it and end your sessions.',
      ],
      context,
    ),
  'factor-removed': (context) =>
    noticeMail(
      'A second factor was removed from your account',
      [
        `One of the ways to confirm your sign-ins was removed from your ${context.organizationName} account.`,
        'If this was not you, change your password and tell your administrator.',
      ],
      context,
    ),
  'factors-reset': (context) =>
    noticeMail(
      'Your second factors were reset',
      [
        `An administrator removed every second factor and recovery code of your ${context.organizationName} account, and ended your sessions.`,
        'At your next sign-in you can set up an authenticator app or a passkey again. If you did not ask for this, tell your administrator.',
      ],
      context,
    ),
  'recovery-code-used': (context) =>
    noticeMail(
      'A recovery code was used to sign in',
      [
        `One of your recovery codes was just used to sign in to your ${context.organizationName} account; it works no more.`,
        'If this was not you, change your password and tell your administrator. You can make new recovery codes in your account.',
      ],
      context,
    ),
  'account-locked': (context) =>
    noticeMail(
      'Your account has been locked',
      [
        'Your account was locked after too many failed sign-in attempts.',
        'If this was not you, tell your administrator. An administrator can unlock the account, or you can reset your password.',
      ],
      context,
    ),
};
