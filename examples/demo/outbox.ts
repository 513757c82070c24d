import { appendFile, readFile } from 'node:fs/promises';
import type { Mailer, MailMessage } from '../../src/index.js';

/** One delivered mail as the development outbox keeps it. */
export interface OutboxMail {
  id: number;
  sentAt: string;
  to: string;
  kind: string;
  subject: string;
  text: string;
  link: string | null;
}

/** A mailer that delivers nowhere: it appends every mail to a JSON-lines file and keeps them for `/dev/outbox`. */
export interface FileOutbox extends Mailer {
  /** Every mail, oldest first. */
  readonly mails: readonly OutboxMail[];
}

/**
 * The development mailer: every mail is appended as one JSON line to `path`
 * and read back at the next start, so the outbox survives restarts. The HTML
 * part is not kept: the outbox shows the text part, as plain text.
 */
export async function fileOutbox(path: string): Promise<FileOutbox> {
  const mails: OutboxMail[] = [];
  try {
    for (const line of (await readFile(path, 'utf8')).split('\n')) {
      if (line.trim()) mails.push(JSON.parse(line) as OutboxMail);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let writing: Promise<void> = Promise.resolve();
  return {
    mails,
    send(message: MailMessage): Promise<void> {
      const mail: OutboxMail = {
        id: (mails.at(-1)?.id ?? 0) + 1,
        sentAt: new Date().toISOString(),
        to: message.to,
        kind: message.kind,
        subject: message.subject,
        text: message.text,
        link: message.link ?? null,
      };
      mails.push(mail);
      // Appends run one after another, so lines never interleave; a failed one fails its own send only.
      const appended = writing.then(() => appendFile(path, `${JSON.stringify(mail)}\n`, { mode: 0o600 }));
      writing = appended.catch(() => undefined);
      return appended;
    },
  };
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => entities[character] as string);
}

/** Only http(s) links become anchors; anything else is shown as text. */
function linkHtml(link: string | null): string {
  if (!link) return '<span class="muted">no link</span>';
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return escapeHtml(link);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return escapeHtml(link);
  return `<a class="mail-link" href="${escapeHtml(url.href)}">${escapeHtml(url.href)}</a>`;
}

/** The `/dev/outbox` page: every mail, newest first, every value escaped. */
export function outboxPage(mails: readonly OutboxMail[]): string {
  const items = [...mails]
    .reverse()
    .map(
      (mail) => `
    <article class="mail" data-kind="${escapeHtml(mail.kind)}" data-to="${escapeHtml(mail.to)}">
      <header>
        <h2>${escapeHtml(mail.subject)}</h2>
        <dl>
          <dt>To</dt><dd class="mail-to">${escapeHtml(mail.to)}</dd>
          <dt>Kind</dt><dd class="mail-kind">${escapeHtml(mail.kind)}</dd>
          <dt>Sent</dt><dd><time datetime="${escapeHtml(mail.sentAt)}">${escapeHtml(mail.sentAt)}</time></dd>
          <dt>Link</dt><dd>${linkHtml(mail.link)}</dd>
        </dl>
      </header>
      <pre>${escapeHtml(mail.text)}</pre>
    </article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Outbox · tenantry demo</title>
  <link rel="icon" href="/favicon.svg">
  <link rel="stylesheet" href="/style.css">
  <link rel="stylesheet" href="/outbox.css">
</head>
<body class="outbox">
  <main>
    <h1>Development outbox</h1>
    <p class="note">Demo only: mail is not sent anywhere. Every message the portal would have sent is kept here,
      newest first (${mails.length} in all). <a href="/dev/outbox.json">As JSON</a> · <a href="/">Back to the portal</a></p>
    ${items || '<p>No mail yet.</p>'}
  </main>
</body>
</html>
`;
}
