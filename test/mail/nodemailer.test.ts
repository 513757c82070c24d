import { createServer } from 'node:net';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import { createTransport, type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryStorage } from '../../adapters/memory/index.js';
import { type NodemailerMailer, nodemailerMailer } from '../../adapters/nodemailer/index.js';
import type { MailMessage } from '../../src/ports/mailer.js';
import { makeTenantry, person } from '../support/tenantry.js';

/** Recipients at this domain are refused by the server with a 550. */
const REFUSED_DOMAIN = 'refused.example.test';
const strongPassword = 'a long passphrase nobody guesses';

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

const received: Received[] = [];
const server = new SMTPServer({
  secure: false,
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (!address.address.endsWith(`@${REFUSED_DOMAIN}`)) return callback();
    callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', callback);
    stream.on('end', () => {
      // Parsed before the server answers, so a resolved send means the message is already here.
      simpleParser(Buffer.concat(chunks)).then((mail) => {
        received.push({ envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address), mail });
        callback();
      }, callback);
    });
  },
});

let port = 0;
const toClose: { close(): unknown }[] = [];

/** A pooled transporter to the test server (the server delays every new connection). */
function smtpTransport(): Transporter {
  const transporter = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true });
  toClose.push(transporter);
  return transporter;
}

function mailer(options: Partial<Parameters<typeof nodemailerMailer>[0]> = {}): NodemailerMailer {
  const created = nodemailerMailer({ transport: smtpTransport(), from: 'portal@acme.example.test', ...options });
  toClose.push(created);
  return created;
}

/** The one message the server received for `address`. */
function mailTo(address: string): ParsedMail {
  const matches = received.filter((entry) => entry.envelopeTo.includes(address));
  expect(matches).toHaveLength(1);
  return (matches[0] as Received).mail;
}

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((object) => object.value.map(({ address, name }) => ({ address, name })));

function message(to: string, overrides: Partial<MailMessage> = {}): MailMessage {
  const link = 'https://portal.example.test/accept-invitation?token=abcdefghijklmnopqrstuvwxyz234567abcdefgh';
  return {
    to,
    kind: 'invitation',
    subject: 'Willkommen bei Müller & Söhne',
    text: `Hello Zoë,\n\nAccept the invitation: ${link}`,
    html: `<p>Hello Zoë,</p>\n<p><a href="${link}">Accept the invitation</a></p>`,
    userId: 'usr_1',
    link,
    ...overrides,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise<void>((resolve, reject) => probe.close((error) => (error ? reject(error) : resolve())));
  return free;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const closable of toClose) await closable.close();
  await new Promise<void>((resolve) => server.close(resolve));
});

describe('nodemailerMailer over SMTP', () => {
  it('delivers sender, recipient, subject, both parts with the link, and the kind header', async () => {
    const to = 'zoe.mueller@customer.example.test';
    const sent = message(to);
    await mailer({
      from: { name: 'Acme Portal', address: 'portal@acme.example.test' },
      replyTo: 'support@acme.example.test',
      headers: { 'X-Portal': 'acme' },
    }).send(sent);

    const mail = mailTo(to);
    expect(addresses(mail.from)).toEqual([{ address: 'portal@acme.example.test', name: 'Acme Portal' }]);
    expect(addresses(mail.to)).toEqual([{ address: to, name: '' }]);
    expect(addresses(mail.replyTo)).toEqual([{ address: 'support@acme.example.test', name: '' }]);
    expect(mail.subject).toBe(sent.subject);
    expect(mail.text?.trim()).toBe(sent.text);
    expect(mail.html).toContain(sent.html);
    expect(mail.headers.get('x-tenantry-kind')).toBe('invitation');
    expect(mail.headers.get('x-portal')).toBe('acme');
    expect(mail.text).toContain(sent.link);
    expect(mail.html).toContain(`href="${sent.link}"`);
  });

  it('takes headers per message from a function, and keeps the kind header truthful', async () => {
    const to = 'reset.headers@customer.example.test';
    const seen: MailMessage[] = [];
    await mailer({
      headers: async (each) => {
        seen.push(each);
        return { 'X-Stream': each.kind === 'password-reset' ? 'security' : 'other', 'x-tenantry-kind': 'forged' };
      },
    }).send(message(to, { kind: 'password-reset', subject: 'Reset your password' }));

    expect(seen.map((each) => each.to)).toEqual([to]);
    const mail = mailTo(to);
    expect(mail.headers.get('x-stream')).toBe('security');
    expect(mail.headers.get('x-tenantry-kind')).toBe('password-reset');
    expect(addresses(mail.from)).toEqual([{ address: 'portal@acme.example.test', name: '' }]);
    expect(mail.replyTo).toBeUndefined();
  });

  it('rejects when the server refuses the recipient, and nothing arrives', async () => {
    const to = `nobody@${REFUSED_DOMAIN}`;
    const error = await mailer()
      .send(message(to))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ responseCode: 550 });
    expect(received.filter((entry) => entry.envelopeTo.includes(to))).toEqual([]);
  });

  it('rejects when no server listens', async () => {
    const unreachable = nodemailerMailer({
      transport: `smtp://127.0.0.1:${await closedPort()}?ignoreTLS=true`,
      from: 'portal@acme.example.test',
    });
    toClose.push(unreachable);
    await expect(unreachable.send(message('lost@customer.example.test'))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('creates its own pooled transporter from an SMTP URL, and closes it after the sends under way', async () => {
    const own = nodemailerMailer({
      transport: `smtp://127.0.0.1:${port}?pool=true&ignoreTLS=true`,
      from: 'portal@acme.example.test',
    });
    toClose.push(own);
    const to = 'url.transport@customer.example.test';
    const sending = own.send(message(to, { kind: 'account-locked' }));
    await own.close();

    expect(mailTo(to).headers.get('x-tenantry-kind')).toBe('account-locked');
    await expect(sending).resolves.toBeUndefined();
    await expect(own.send(message('after.close@customer.example.test'))).rejects.toThrow(/closed/);
    await expect(own.transporter.sendMail({ from: 'a@example.test', to: 'b@example.test' })).rejects.toThrow(
      /pool was closed/,
    );
    await expect(own.close()).resolves.toBeUndefined();
  });

  it('never closes a transporter it was given', async () => {
    const transporter = smtpTransport();
    const given = nodemailerMailer({ transport: transporter, from: 'portal@acme.example.test' });
    expect(given.transporter).toBe(transporter);
    await given.close();

    await expect(given.send(message('refused.after.close@customer.example.test'))).rejects.toThrow(/closed/);
    const to = 'still.open@customer.example.test';
    await transporter.sendMail({ from: 'portal@acme.example.test', to, subject: 'Still open', text: 'Still open' });
    expect(mailTo(to).subject).toBe('Still open');
  });

  it('refuses a sender without an address and a transport string that is no SMTP URL', () => {
    expect(() => nodemailerMailer({ transport: smtpTransport(), from: '' })).toThrow(/from/);
    expect(() =>
      nodemailerMailer({ transport: 'smtp.acme.example.test:587', from: 'portal@acme.example.test' }),
    ).toThrow(/smtp:\/\//);
  });
});

describe('tenantry mail through nodemailer', () => {
  async function installation() {
    const t = await makeTenantry(memoryStorage, { mailer: mailer() });
    const { organization, firstUser, invitationSent } = await t.operator.organizations.create({
      name: 'Acme',
      firstUser: person('Ann', 'Admin'),
    });
    expect(invitationSent).toBe(true);
    return { ...t, organization, ann: t.as(firstUser.id) };
  }

  it('mails an invitation whose link accepts the invitation', async () => {
    const { um, ann, organization } = await installation();
    const bob = person('Bob', 'New');
    const { user, invitationSent } = await ann.users.add({ organizationId: organization.id, ...bob });
    expect(invitationSent).toBe(true);

    const mail = mailTo(bob.email);
    expect(mail.subject).toBe('You are invited to Acme');
    expect(mail.headers.get('x-tenantry-kind')).toBe('invitation');
    const link = /https:\/\/portal\.example\.test\/accept-invitation\?token=[a-z0-9]+/.exec(mail.text ?? '')?.[0];
    expect(link).toBeDefined();
    expect(mail.html).toContain(`href="${link}"`);

    const token = new URL(link as string).searchParams.get('token') as string;
    const signedIn = await um.auth.acceptInvitation({ token, password: strongPassword });
    expect(signedIn.user.id).toBe(user.id);
    expect((await ann.users.get(user.id)).status).toBe('active');
  });

  it('keeps the user when the server refuses the invitation, and records the failure', async () => {
    const { ann, operator, organization } = await installation();
    const { user, invitationSent } = await ann.users.add({
      organizationId: organization.id,
      ...person('Fay', 'Fail', REFUSED_DOMAIN),
    });
    expect(invitationSent).toBe(false);
    expect((await ann.users.get(user.id)).status).toBe('pending');

    const { items } = await operator.audit.list({ organizationId: organization.id, action: 'mail.failed' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ targetId: user.id, metadata: { kind: 'invitation' } });
    expect(String(items[0]?.metadata.reason)).toContain('550');
    expect((await ann.invitations.createLink(user.id)).link).toContain('/accept-invitation?token=');
  });
});
