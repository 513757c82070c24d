import type { FlowContext } from '../flows/context.js';
import { act } from '../flows/unit.js';
import type { MailKind } from '../ports/mailer.js';
import type { Organization, User } from '../types.js';
import { defaultMailTemplates, type ImportSummary, type MailContext } from './templates.js';

/** A mail decided inside a transaction, sent after it committed. */
export interface PendingMail {
  kind: MailKind;
  user: User;
  organization: Organization;
  link?: string | undefined;
  expiresAt?: Date | undefined;
  summary?: ImportSummary | undefined;
}

/**
 * Sends a mail after commit. A failed send never undoes the change: it is
 * recorded as a `mail.failed` audit event and reported as `false`, and the
 * link can be sent again.
 */
export async function deliver(context: FlowContext, mail: PendingMail): Promise<boolean> {
  const template = context.mailTemplates[mail.kind] ?? defaultMailTemplates[mail.kind];
  if (!template) throw new Error(`No mail template for "${mail.kind}"`);
  const mailContext: MailContext = {
    kind: mail.kind,
    locale: mail.user.preferences.locale,
    firstName: mail.user.firstName,
    lastName: mail.user.lastName,
    organizationName: mail.organization.name,
    link: mail.link,
    expiresAt: mail.expiresAt,
    summary: mail.summary,
  };
  try {
    await context.mailer.send({
      ...template(mailContext),
      to: mail.user.email,
      kind: mail.kind,
      userId: mail.user.id,
      link: mail.link,
    });
    return true;
  } catch (error) {
    await act(context, { type: 'system' }, async (unit) => {
      unit.record('mail.failed', {
        organizationId: mail.organization.id,
        targetId: mail.user.id,
        metadata: { kind: mail.kind, reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' },
      });
    });
    return false;
  }
}

/**
 * Sends a mail after commit without waiting for it: for public flows, whose
 * answer must not take longer when there is someone to mail (that would tell
 * who has an account). A failure is recorded as by {@link deliver}.
 */
export function deliverLater(context: FlowContext, mail: PendingMail): void {
  deliver(context, mail).catch((error: unknown) => console.error('tenantry: a mail could not be sent', error));
}
