import { type OptionsType, ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import type { PasswordChecker } from '../ports/password-checker.js';

/** Options of {@link commonPasswordChecker}. */
export interface CommonPasswordCheckerOptions {
  /** The lowest zxcvbn score (0–4) accepted; default 3 ("safely unguessable: moderate protection from offline attacks"). */
  minScore?: 0 | 1 | 2 | 3 | 4;
}

/**
 * The default password checker: refuses passwords found in, or easily derived
 * from, zxcvbn-ts's lists of common passwords, names and words, or from the
 * user's own name and address. Returns the reason to show, or null.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, passwordChecker: commonPasswordChecker({ minScore: 4 }) });
 * ```
 */
export function commonPasswordChecker(options: CommonPasswordCheckerOptions = {}): PasswordChecker {
  const minScore = options.minScore ?? 3;
  let factory: ZxcvbnFactory | undefined;
  return async (password, user) => {
    // The dictionaries are large: build the checker on first use, not at import.
    factory ??= new ZxcvbnFactory({
      dictionary: { ...commonDictionary, ...englishDictionary },
      graphs: adjacencyGraphs,
      translations,
    } as OptionsType);
    const result = factory.check(password.slice(0, 256), [user.email, user.firstName, user.lastName]);
    if (result.score >= minScore) return null;
    return result.feedback.warning ?? 'This password is too easy to guess';
  };
}
