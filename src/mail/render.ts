import { type MailIntent, mailContextOf } from '../outbox/mail-order.js';
import type { MailMessage } from '../ports/mailer.js';
import { defaultMailTemplates, type MailTemplates } from './templates.js';

/** The message for an outbox mail: the installation's template for its kind (or the default), addressed and linked. */
export function renderMail(
  templates: Partial<MailTemplates>,
  id: string,
  intent: MailIntent,
  link: string | undefined,
): MailMessage {
  const template = templates[intent.kind] ?? defaultMailTemplates[intent.kind];
  if (!template) throw new Error(`No mail template for "${intent.kind}"`);
  return {
    ...template(mailContextOf(intent, link)),
    id,
    to: intent.to,
    kind: intent.kind,
    userId: intent.userId,
    link,
  };
}
