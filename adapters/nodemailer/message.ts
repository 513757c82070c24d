import type { SendMailOptions } from 'nodemailer';
import type { MailMessage } from '../../src/adapter-kit/index.js';
import type { MailHeaders, NodemailerMailerOptions } from './options.js';

/** The header that carries a message's kind (`invitation`, `password-reset`, …). */
export const KIND_HEADER = 'X-Tenantry-Kind';

/** The nodemailer message for one tenantry message: addresses, subject, both parts and the headers. */
export async function toSendMailOptions(
  message: MailMessage,
  options: Pick<NodemailerMailerOptions, 'from' | 'replyTo' | 'headers'>,
): Promise<SendMailOptions> {
  const extra = typeof options.headers === 'function' ? await options.headers(message) : options.headers;
  const headers: MailHeaders = {};
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (name.toLowerCase() !== KIND_HEADER.toLowerCase()) headers[name] = value;
  }
  headers[KIND_HEADER] = message.kind;
  return {
    from: options.from,
    ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    headers,
  };
}
