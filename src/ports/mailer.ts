/** What a mail is about. */
export type MailKind =
  | 'invitation'
  | 'password-reset'
  | 'account-locked'
  | 'email-changed'
  | 'import-finished'
  | 'factor-added'
  | 'factor-removed'
  | 'factors-reset'
  | 'recovery-code-used'
  | (string & {});

/** One message for the mailer to deliver. */
export interface MailMessage {
  /**
   * Stable across attempts: delivery is at least once (after a crash or a
   * failed attempt the outbox sends again), so a receiver can drop repeats by it.
   */
  id?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: MailKind;
  userId?: string | undefined;
  /** The one actionable URL of the message, if any. */
  link?: string | undefined;
}

/** The mail port: deliver one message or throw. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
