import { describe, expect, it } from 'vitest';
import type { AuditEvent, Mailer, MailMessage } from '../../src/index.js';
import { codeOf, type MakeStorage, makeTenantry, person } from '../support/tenantry.js';

const MINUTE = 60_000;
const password = 'a long passphrase nobody guesses';

/** A mailer that fails while `down` is set and keeps what it sent. */
function flakyMailer() {
  const sent: MailMessage[] = [];
  const mailer: Mailer & { down: boolean; sent: MailMessage[] } = {
    down: false,
    sent,
    async send(message) {
      if (mailer.down) throw new Error('421 mail server unavailable');
      sent.push(message);
    },
  };
  return mailer;
}

const tokenOf = (message: MailMessage | undefined) =>
  new URL(message?.link as string).searchParams.get('token') as string;

export function describeOutbox(name: string, makeStorage: MakeStorage): void {
  describe(`${name}: mail and events through the outbox`, () => {
    it('keeps a mail the server refused and sends it later with a link that works, once', async () => {
      const mailer = flakyMailer();
      const t = await makeTenantry(makeStorage, { mailer });
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: { ...person('Ann', 'Admin'), invite: false },
      });
      mailer.down = true;
      const { user, invitationSent } = await t.as(firstUser.id).users.add({
        organizationId: organization.id,
        ...person('Bob', 'Later'),
      });
      expect(invitationSent).toBe(false);
      const failed = await t.operator.audit.list({ organizationId: organization.id, action: 'mail.failed' });
      expect(failed.items.map((event) => event.metadata)).toEqual([
        { kind: 'invitation', reason: '421 mail server unavailable' },
      ]);
      // Not yet due: the first retry waits the policy's delay.
      mailer.down = false;
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 0, remaining: 1 });
      t.clock.advance(MINUTE);
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 1, failed: 0, remaining: 0 });
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 0, remaining: 0 });
      expect(mailer.sent.map((mail) => [mail.kind, mail.to])).toEqual([['invitation', user.email]]);
      const accepted = await t.um.auth.acceptInvitation({ token: tokenOf(mailer.sent[0]), password });
      expect(accepted.user.status).toBe('active');
    });

    it('gives up after the policy’s attempts, lists the failure for the operator, and retries it on request', async () => {
      const mailer = flakyMailer();
      const t = await makeTenantry(makeStorage, {
        mailer,
        policy: { outbox: { maxAttempts: 3, retryDelayMs: 1000 } },
      });
      mailer.down = true;
      const { firstUser } = await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
      for (let pass = 0; pass < 4; pass++) {
        t.clock.advance(10 * MINUTE);
        await t.um.outbox.deliverPending();
      }
      const { items } = await t.um.outbox.failed();
      expect(items).toMatchObject([
        {
          kind: 'mail',
          what: 'invitation',
          to: firstUser.email,
          attempts: 3,
          lastError: '421 mail server unavailable',
        },
      ]);
      expect(await t.um.outbox.deliverPending()).toMatchObject({ delivered: 0, remaining: 0 });
      mailer.down = false;
      await t.um.outbox.retry(items[0]?.id as string);
      expect(await t.um.outbox.deliverPending()).toMatchObject({ delivered: 1, remaining: 0 });
      expect((await t.um.outbox.failed()).items).toEqual([]);
      expect(await codeOf(t.um.outbox.retry(items[0]?.id as string))).toBe('NOT_FOUND');
      await t.um.auth.acceptInvitation({ token: tokenOf(mailer.sent.at(-1)), password });
    });

    it('sends nothing for a link that was replaced or used meanwhile', async () => {
      const mailer = flakyMailer();
      const t = await makeTenantry(makeStorage, { mailer });
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: { ...person('Ann', 'Admin'), invite: false },
      });
      mailer.down = true;
      const { user } = await t
        .as(firstUser.id)
        .users.add({ organizationId: organization.id, ...person('Bob', 'Hand') });
      mailer.down = false;
      // The admin hands a link over by hand instead: the mailed one is replaced.
      const { link } = await t.as(firstUser.id).invitations.createLink(user.id);
      t.clock.advance(MINUTE);
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 1, remaining: 0 });
      expect(mailer.sent).toEqual([]);
      await t.um.auth.acceptInvitation({ token: new URL(link).searchParams.get('token') as string, password });
    });

    it('hands on what another process wrote and could not send, once its claim lapsed', async () => {
      const storage = await makeStorage();
      const stuck = { hung: false, sent: [] as MailMessage[] };
      const first = await makeTenantry(async () => storage, {
        mailer: {
          // Up and answering at first; then, like a process that died mid-send, it never answers again.
          send: (message) =>
            stuck.hung ? new Promise(() => undefined) : Promise.resolve(void stuck.sent.push(message)),
        },
      });
      const { firstUser } = await first.operator.organizations.create({
        name: 'Acme',
        firstUser: person('Ann', 'Admin'),
      });
      await first.um.auth.acceptInvitation({ token: tokenOf(stuck.sent[0]), password });
      stuck.hung = true;
      await first.um.auth.requestPasswordReset({ email: firstUser.email });
      const mailer = flakyMailer();
      const second = await makeTenantry(async () => storage, { mailer });
      second.clock.set(first.clock.now());
      // While the first process still holds it, the second leaves it alone.
      expect(await second.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 0, remaining: 1 });
      second.clock.advance(6 * MINUTE);
      expect(await second.um.outbox.deliverPending()).toEqual({ delivered: 1, failed: 0, remaining: 0 });
      expect(mailer.sent.map((mail) => [mail.kind, mail.to])).toEqual([['password-reset', firstUser.email]]);
      await second.um.auth.resetPassword({ token: tokenOf(mailer.sent[0]), newPassword: `${password} again` });
    });

    it('sends the same mail again, link included, when a sent one was not noted and the installation has keys', async () => {
      for (const encryptionKeys of [[{ id: 'k1', key: new Uint8Array(32).fill(7) }], []]) {
        const sent: MailMessage[] = [];
        let unnoted = true;
        // The mail server takes the first copy, but the answer is lost: the outbox must send it again.
        const mailer: Mailer = {
          async send(message) {
            sent.push(message);
            if (unnoted) throw new Error('connection reset after DATA');
          },
        };
        const t = await makeTenantry(makeStorage, { mailer, encryptionKeys });
        await t.operator.organizations.create({ name: 'Acme', firstUser: person('Ann', 'Admin') });
        unnoted = false;
        t.clock.advance(MINUTE);
        expect(await t.um.outbox.deliverPending()).toMatchObject({ delivered: 1, remaining: 0 });
        const [first, again] = sent;
        expect(again?.id).toBe(first?.id);
        if (encryptionKeys.length > 0) {
          // With the installation's key the copy is the same mail: dropping the repeat by its id loses nothing.
          expect(again?.link).toBe(first?.link);
          await t.um.auth.acceptInvitation({ token: tokenOf(first), password });
        } else {
          // Without a key the copy carries a fresh link, and the first one no longer works.
          expect(again?.link).not.toBe(first?.link);
          expect(await codeOf(t.um.auth.inspectInvitation(tokenOf(first)))).toBe('TOKEN_INVALID');
          await t.um.auth.acceptInvitation({ token: tokenOf(again), password });
        }
      }
    });

    it('gives every mail a stable id and drops the mail of a user erased before it went', async () => {
      const mailer = flakyMailer();
      const t = await makeTenantry(makeStorage, { mailer });
      const { organization, firstUser } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: { ...person('Ann', 'Admin'), invite: false },
      });
      const ann = t.as(firstUser.id);
      await ann.users.add({ organizationId: organization.id, ...person('Cid', 'Sent') });
      expect(mailer.sent[0]?.id).toMatch(/^mail_/);
      mailer.down = true;
      const { user: bob } = await ann.users.add({ organizationId: organization.id, ...person('Bob', 'Gone') });
      await ann.users.erase(bob.id);
      mailer.down = false;
      t.clock.advance(MINUTE);
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 0, remaining: 0 });
      expect(mailer.sent).toHaveLength(1);
    });

    it('writes the events subscribers wait for with the change, and removes them once emitted', async () => {
      const t = await makeTenantry(makeStorage);
      const seen: AuditEvent[] = [];
      t.um.on('organization.created', (event) => {
        seen.push(event);
      });
      const { organization } = await t.operator.organizations.create({
        name: 'Acme',
        firstUser: person('Ann', 'Admin'),
      });
      expect(seen.map((event) => event.targetId)).toEqual([organization.id]);
      await t.um.outbox.idle();
      expect(await t.um.outbox.deliverPending()).toEqual({ delivered: 0, failed: 0, remaining: 0 });
    });
  });
}
