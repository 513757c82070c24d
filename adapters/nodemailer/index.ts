/**
 * A mailer on nodemailer (an optional peer dependency): tenantry's mail over SMTP.
 *
 * @example
 * ```ts
 * import { nodemailerMailer } from 'tenantry/nodemailer';
 * new UserManagement({ storage, mailer: nodemailerMailer({ transport: process.env.SMTP_URL!, from: 'portal@acme.example' }) });
 * ```
 *
 * @module
 */

export type { NodemailerMailer } from './mailer.js';
export { nodemailerMailer } from './mailer.js';
export type { MailAddress, MailHeaders, NodemailerMailerOptions, NodemailerTransport } from './options.js';
