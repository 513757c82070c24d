import { describe, expect, it } from 'vitest';
import { commonPasswordChecker } from '../../src/passwords/common-password-checker.js';
import type { User } from '../../src/types.js';

const user = { email: 'ann.lee@acme.example', firstName: 'Ann', lastName: 'Lee' } as User;

/** How many times the event loop turned while `work` ran: zero would mean it was blocked all along. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    turns++;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  const result = await work;
  done = true;
  return { result, turns };
}

describe('commonPasswordChecker', () => {
  const check = commonPasswordChecker();

  it('refuses common passwords, passwords made of the user’s name, and accepts a long passphrase', async () => {
    expect(await check('password1234567890', user)).not.toBeNull();
    expect(await check('annleeannleeannlee', user)).not.toBeNull();
    expect(await check('p4$$w0rdp4$$w0rdp4$$w0rd', user)).not.toBeNull();
    expect(await check('correct horse battery staple', user)).toBeNull();
  });

  it('judges the worst inputs of any length without blocking the event loop', async () => {
    // These took zxcvbn seconds on the whole input, synchronously.
    for (const password of ['p4$$w0rd'.repeat(32), 'p4$$w0rd'.repeat(512), 'aB3$'.repeat(1024)]) {
      const { result, turns } = await turnsDuring(check(password, user));
      expect(result).not.toBeNull();
      expect(turns).toBeGreaterThan(5);
    }
  });

  it('judges by the first characters: a weak start is refused whatever follows', async () => {
    expect(await check(`${'1234'.repeat(8)}Zq8#vL2!mW9@xR4$kT7&`, user)).not.toBeNull();
    expect(await check(`correct horse battery staple ${'a'.repeat(3000)}`, user)).toBeNull();
  });

  it('answers many checks at once, in turn', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => check(`${index} correct horse battery staple`, user)),
    );
    expect(answers.every((answer) => answer === null)).toBe(true);
  });
});
