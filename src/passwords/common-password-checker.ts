import { Admission } from '../limits/admission.js';
import type { PasswordChecker } from '../ports/password-checker.js';
import { sharedStrengthWorker } from './strength-worker.js';

/** Options of {@link commonPasswordChecker}. */
export interface CommonPasswordCheckerOptions {
  /** The lowest zxcvbn score (0–4) accepted; default 3 ("safely unguessable: moderate protection from offline attacks"). */
  minScore?: 0 | 1 | 2 | 3 | 4;
  /**
   * How many leading characters are judged (default 32). zxcvbn's cost grows
   * steeply with length (a 256-character password took two seconds), and a
   * password whose first 32 characters are hard to guess is hard to guess.
   */
  judgedLength?: number;
  /** How many checks may wait for the worker before more are refused with `RATE_LIMITED` (default 64). */
  maxWaiting?: number;
}

/** Leet-speak variants tried per word: more multiplies the cost, and three catch `p@ssw0rd`. */
const L33T_MAX_SUBSTITUTIONS = 3;

/** Each of the user's own words is judged by its first characters only, like the password. */
const USER_INPUT_LENGTH = 100;

/** The first `count` characters, counted in code points (a surrogate pair is never split). */
function leading(text: string, count: number): string {
  let end = 0;
  for (let taken = 0; taken < count && end < text.length; taken++) end += (text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  return text.slice(0, end);
}

/**
 * The default password checker: refuses passwords found in, or easily derived
 * from, zxcvbn-ts's lists of common passwords, names and words, or from the
 * user's own name and address. Returns the reason to show, or null.
 *
 * The check runs in a worker thread, one at a time, on the password's first
 * `judgedLength` characters (the length policy covers the rest), so it costs
 * a bounded time whatever the input and never blocks the event loop.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, passwordChecker: commonPasswordChecker({ minScore: 4 }) });
 * ```
 */
export function commonPasswordChecker(options: CommonPasswordCheckerOptions = {}): PasswordChecker {
  const minScore = options.minScore ?? 3;
  const judgedLength = options.judgedLength ?? 32;
  const worker = sharedStrengthWorker(L33T_MAX_SUBSTITUTIONS);
  const admission = new Admission({
    concurrency: 1,
    maxWaiting: options.maxWaiting ?? 64,
    resource: 'the password strength check',
  });
  return async (password, user) => {
    const userInputs = [user.email, user.firstName, user.lastName].map((word) => word.slice(0, USER_INPUT_LENGTH));
    const answer = await admission.run(() => worker.judge({ password: leading(password, judgedLength), userInputs }));
    if (answer.score >= minScore) return null;
    return answer.warning ?? 'This password is too easy to guess';
  };
}
