import type { ImportSummary, MailContext } from '../mail/templates.js';
import type { TokenPurpose } from '../ports/identity-storage.js';
import type { MailKind } from '../ports/mailer.js';
import type { Organization, User } from '../types.js';

/** A one-time link issued in a change's transaction: the secret for the mail, and what storage keeps of it. */
export interface IssuedLink {
  purpose: TokenPurpose;
  /** The secret; never stored. */
  token: string;
  /** What the token repository keeps. */
  digest: string;
  expiresAt: Date;
}

/** A mail a change asks for with `unit.send`: it is written to the outbox with the change and sent after commit. */
export interface MailOrder {
  kind: MailKind;
  /** The recipient as they are (for `email-changed`, as they were: the old address is told). */
  user: User;
  organization: Organization;
  /** The one-time link the mail carries, if any. */
  link?: IssuedLink | undefined;
  /** For `import-finished`. */
  summary?: ImportSummary | undefined;
}

/**
 * What the outbox keeps of a mail: everything to render and address it, and
 * its link by the token's digest. The process that wrote the item sends the
 * secret it still holds. Any other (after a crash or a failed send) opens the
 * sealed secret with the installation's key, so the mail it sends again is
 * the same; without a key it moves the token to a fresh secret first (the
 * link of an earlier copy then stops working).
 */
export interface MailIntent {
  kind: MailKind;
  to: string;
  userId: string;
  organizationId: string;
  locale: string | null;
  firstName: string;
  lastName: string;
  organizationName: string;
  /** The link by its token's digest, and its secret sealed with the installation's key when it has one. */
  link: { purpose: TokenPurpose; digest: string; expiresAt: string; sealed: string | null } | null;
  summary: ImportSummary | null;
}

/** What a link's sealed secret is bound to: it opens for that token only. */
export function sealedLinkContext(digest: string): string {
  return `outbox-link:${digest}`;
}

/** The intent of an order, as the outbox keeps it; `seal` keeps the link's secret when the installation can. */
export function mailIntentOf(order: MailOrder, seal: (secret: string, context: string) => string | null): MailIntent {
  return {
    kind: order.kind,
    to: order.user.email,
    userId: order.user.id,
    organizationId: order.organization.id,
    locale: order.user.preferences.locale ?? null,
    firstName: order.user.firstName,
    lastName: order.user.lastName,
    organizationName: order.organization.name,
    link: order.link
      ? {
          purpose: order.link.purpose,
          digest: order.link.digest,
          expiresAt: order.link.expiresAt.toISOString(),
          sealed: seal(order.link.token, sealedLinkContext(order.link.digest)),
        }
      : null,
    summary: order.summary ?? null,
  };
}

/** Where a link of each purpose points, below the installation's base URL. */
const linkPaths: Record<TokenPurpose, string> = {
  invitation: '/accept-invitation',
  'password-reset': '/reset-password',
  'password-change': '/change-password',
  // Never mailed: the challenges of a sign-in waiting for a second factor stay with the client that signed in.
  'second-factor': '/sign-in',
  'factor-enrollment': '/sign-in',
  'sso-second-factor': '/sign-in',
  'sso-factor-enrollment': '/sign-in',
};

/** The URL a mail carries for a link's secret. */
export function linkUrl(baseUrl: string, purpose: TokenPurpose, token: string): string {
  return `${baseUrl}${linkPaths[purpose]}?token=${token}`;
}

/** What a template is given for an intent, with the link's URL when it has one. */
export function mailContextOf(intent: MailIntent, link: string | undefined): MailContext {
  return {
    kind: intent.kind,
    locale: intent.locale ?? undefined,
    firstName: intent.firstName,
    lastName: intent.lastName,
    organizationName: intent.organizationName,
    link,
    expiresAt: intent.link ? new Date(intent.link.expiresAt) : undefined,
    summary: intent.summary ?? undefined,
  };
}
