import type { Mailer, MailMessage } from '../../src/adapter-kit/index.js';

/** Options of {@link consoleMailer}. */
export interface ConsoleMailerOptions {
  /** Where each message goes, as one block of text (default: `console.log`). */
  write?: (text: string) => void;
  /** Also print the plain-text body (default: only kind, recipient, subject and link). */
  body?: boolean;
}

/** A message as the console mailer prints it. */
function describeMail(message: MailMessage, body = false): string {
  const lines = [`✉ ${message.kind} → ${message.to}`, `  Subject: ${message.subject}`];
  if (message.link) lines.push(`  Link: ${message.link}`);
  if (body) lines.push('', ...message.text.split('\n').map((line) => `  ${line}`));
  return lines.join('\n');
}

/**
 * A mailer for development that prints each message instead of sending it:
 * the link of an invitation or reset is right there in the terminal. Never
 * use it in production: links are secrets.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer: consoleMailer(), links: { baseUrl: 'http://localhost:3000' } });
 * // ✉ invitation → dana@contoso.example
 * //   Subject: You are invited to Contoso
 * //   Link: http://localhost:3000/accept-invitation?token=…
 * ```
 */
export function consoleMailer(options: ConsoleMailerOptions = {}): Mailer {
  const write = options.write ?? ((text: string) => console.log(text));
  return {
    async send(message) {
      write(describeMail(message, options.body));
    },
  };
}
