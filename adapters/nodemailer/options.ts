import type { SMTPPoolOptions, SMTPTransportOptions, Transporter } from 'nodemailer';
import type { MailMessage } from '../../src/adapter-kit/index.js';

/**
 * A mail address: `'portal@acme.example'`, `'Acme Portal <portal@acme.example>'`, or
 * `{ name: 'Acme Portal', address: 'portal@acme.example' }` (the name is encoded for you).
 *
 * @example
 * ```ts
 * const from: MailAddress = { name: 'Acme Portal', address: 'portal@acme.example' };
 * ```
 */
export type MailAddress = string | { name: string; address: string };

/**
 * Extra headers for a message, by name. `X-Tenantry-Kind` is always the message's kind and
 * cannot be replaced here.
 *
 * @example
 * ```ts
 * const headers: MailHeaders = { 'X-Entity-Ref-ID': 'acme-portal' };
 * ```
 */
export type MailHeaders = Record<string, string>;

/**
 * Where mail goes: a nodemailer transporter you created (and close yourself), or SMTP options
 * or an `smtp://` / `smtps://` URL from which the mailer creates its own transporter.
 *
 * @example
 * ```ts
 * const transport: NodemailerTransport = 'smtps://user:secret@smtp.acme.example?pool=true';
 * ```
 */
export type NodemailerTransport = Transporter | SMTPTransportOptions | SMTPPoolOptions | string;

/**
 * How to build a {@link nodemailerMailer}.
 *
 * @example
 * ```ts
 * const options: NodemailerMailerOptions = {
 *   transport: { host: 'smtp.acme.example', port: 587, pool: true, auth: { user: 'portal', pass: secret } },
 *   from: { name: 'Acme Portal', address: 'portal@acme.example' },
 *   replyTo: 'support@acme.example',
 *   headers: (message) => ({ 'X-Portal-Stream': message.kind === 'import-finished' ? 'reports' : 'accounts' }),
 * };
 * ```
 */
export interface NodemailerMailerOptions {
  /**
   * A transporter from `nodemailer.createTransport(…)`, SMTP transport options, or an
   * `smtp://` / `smtps://` URL. Options and URLs follow nodemailer's own format; `pool: true`
   * (`?pool=true` in a URL) keeps connections open between messages.
   */
  transport: NodemailerTransport;
  /** The sender of every message. */
  from: MailAddress;
  /** Where replies go, when not to `from`. */
  replyTo?: MailAddress | undefined;
  /**
   * Extra headers: the same for every message, or computed per message (the function may be
   * async). The function sees the whole message, one-time link included: keep it out of logs.
   */
  headers?:
    | MailHeaders
    | ((message: MailMessage) => MailHeaders | undefined | Promise<MailHeaders | undefined>)
    | undefined;
}
