import { describe, expect, it } from 'vitest';
import { memoryMailer, testClock } from '../../adapters/memory/index.js';

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
