import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer } from '../../src/adapter-kit/index.js';
import { toSendMailOptions } from './message.js';
import type { NodemailerMailerOptions, NodemailerTransport } from './options.js';

/** A {@link Mailer} that sends through nodemailer, and can be closed. */
export interface NodemailerMailer extends Mailer {
  /** The nodemailer transporter in use: the one you gave, or the one the mailer created. */
  readonly transporter: Transporter;
  /**
   * Stops the mailer: later sends reject, sends under way finish first. A transporter the
   * mailer created is then closed; one you gave stays open (close it yourself). Calling
   * `close` again does nothing more.
   */
  close(): Promise<void>;
}

const isTransporter = (transport: NodemailerTransport): transport is Transporter =>
  typeof transport === 'object' && typeof (transport as Partial<Transporter>).sendMail === 'function';

function openTransport(transport: NodemailerTransport): { transporter: Transporter; owned: boolean } {
  if (isTransporter(transport)) return { transporter: transport, owned: false };
  if (typeof transport === 'string' && !/^smtps?:\/\//i.test(transport)) {
    throw new TypeError('nodemailerMailer: a transport URL starts with smtp:// or smtps://');
  }
  return { transporter: createTransport(transport), owned: true };
}

/**
 * A mailer that sends tenantry's mail through nodemailer, usually over SMTP. Each message
 * goes out with its text and HTML parts and an `X-Tenantry-Kind` header naming its kind,
 * so your mail service can route or filter it. A failed send rejects with nodemailer's
 * error (tenantry records it and keeps the change). The mailer logs nothing; nodemailer's
 * own `debug` option, with a logger, would print whole messages, one-time links included.
 *
 * @example
 * ```ts
 * import { UserManagement } from 'tenantry';
 * import { nodemailerMailer } from 'tenantry/nodemailer';
 *
 * const mailer = nodemailerMailer({
 *   transport: { host: 'smtp.acme.example', port: 587, pool: true, auth: { user: 'portal', pass: secret } },
 *   from: { name: 'Acme Portal', address: 'portal@acme.example' },
 * });
 * const um = new UserManagement({ storage, mailer, links: { baseUrl: 'https://portal.acme.example' } });
 * // On shutdown:
 * await mailer.close();
 * ```
 */
export function nodemailerMailer(options: NodemailerMailerOptions): NodemailerMailer {
  const { from, replyTo, headers } = options;
  if (typeof from === 'string' ? from.trim() === '' : !from?.address) {
    throw new TypeError('nodemailerMailer: `from` needs an address');
  }
  const { transporter, owned } = openTransport(options.transport);
  const underway = new Set<Promise<unknown>>();
  let closing: Promise<void> | null = null;

  return {
    transporter,
    async send(message) {
      if (closing) throw new Error('nodemailerMailer: the mailer is closed');
      const sending = toSendMailOptions(message, { from, replyTo, headers }).then((mail) => transporter.sendMail(mail));
      underway.add(sending);
      try {
        await sending;
      } finally {
        underway.delete(sending);
      }
    },
    close() {
      closing ??= Promise.allSettled([...underway]).then(() => {
        if (owned) transporter.close();
      });
      return closing;
    },
  };
}
