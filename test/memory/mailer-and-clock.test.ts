import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleMailer, memoryMailer, memoryStorage, testClock } from '../../adapters/memory/index.js';
import { UserManagement } from '../../src/index.js';

const message = { to: 'ada@example.test', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>', kind: 'invitation' };

describe('memoryMailer', () => {
  it('keeps every message in the outbox, oldest first, as copies', async () => {
    const mailer = memoryMailer();
    await mailer.send(message);
    await mailer.send({ ...message, to: 'grace@example.test', link: 'https://portal.test/x' });
    expect(mailer.outbox.map((mail) => mail.to)).toEqual(['ada@example.test', 'grace@example.test']);
    expect(mailer.outbox[1]?.link).toBe('https://portal.test/x');
    mailer.clear();
    expect(mailer.outbox).toEqual([]);
  });

  it('fails the next send once when asked to, and keeps nothing of it', async () => {
    const mailer = memoryMailer();
    mailer.failNext(new Error('smtp down'));
    await expect(mailer.send(message)).rejects.toThrow('smtp down');
    await mailer.send(message);
    expect(mailer.outbox).toHaveLength(1);
  });
});

describe('consoleMailer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints kind, recipient, subject and a link that works', async () => {
    const printed: string[] = [];
    const um = new UserManagement({
      storage: memoryStorage(),
      mailer: consoleMailer({ write: (text) => printed.push(text) }),
      links: { baseUrl: 'http://localhost:3000' },
    });
    await um.as({ type: 'operator' }).organizations.create({
      name: 'Contoso',
      firstUser: { email: 'dana@contoso.example', firstName: 'Dana', lastName: 'Data' },
    });
    expect(printed).toHaveLength(1);
    const [kindLine, subjectLine, linkLine] = (printed[0] as string).split('\n');
    expect(kindLine).toBe('✉ invitation → dana@contoso.example');
    expect(subjectLine).toMatch(/^ {2}Subject: .*Contoso/);
    const link = new URL((linkLine as string).replace('  Link: ', ''));
    expect(link.origin).toBe('http://localhost:3000');
    const token = link.searchParams.get('token') as string;
    const accepted = await um.auth.acceptInvitation({ token, password: 'a long passphrase nobody guesses' });
    expect(accepted.user.email).toBe('dana@contoso.example');
  });

  it('writes to the console by default, with the body when asked', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await consoleMailer({ body: true }).send({ ...message, text: 'Line one\nLine two' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toBe('✉ invitation → ada@example.test\n  Subject: Hello\n\n  Line one\n  Line two');
  });
});

describe('testClock', () => {
  it('starts at 2026-01-01 by default and stands still until moved', () => {
    const clock = testClock();
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.now().getTime()).toBe(clock.now().getTime());
  });

  it('advances and jumps, and hands out fresh Date objects', () => {
    const clock = testClock('2026-03-01T09:00:00Z');
    const seen = clock.now();
    seen.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-03-01T09:00:00.000Z');
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-03-01T09:01:30.000Z');
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('refuses invalid dates and distances', () => {
    expect(() => testClock('not a date')).toThrow(RangeError);
    expect(() => testClock().advance(Number.NaN)).toThrow(RangeError);
  });
});
