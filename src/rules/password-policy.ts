import { allowed, type Decision, refuse } from './decision.js';

/** The length limits a password must meet, in code points after NFKC normalization. */
export interface PasswordLengthPolicy {
  minLength: number;
  maxLength: number;
}

/** The form in which passwords are hashed and compared: NFKC, so NFC and NFD typings of one password match. */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * NIST SP 800-63B rev 4 §3.1.1.2: a length window and nothing else (no
 * composition rules); length counts code points after NFKC, and nothing is
 * ever truncated. Refused with `WEAK_PASSWORD` and a reason.
 */
export function checkPasswordLength(password: string, policy: PasswordLengthPolicy): Decision {
  const length = [...normalizePassword(password)].length;
  if (length < policy.minLength) {
    return refuse('WEAK_PASSWORD', `Use at least ${policy.minLength} characters`, {
      reason: 'too-short',
      minLength: policy.minLength,
    });
  }
  if (length > policy.maxLength) {
    return refuse('WEAK_PASSWORD', `Use at most ${policy.maxLength} characters`, {
      reason: 'too-long',
      maxLength: policy.maxLength,
    });
  }
  return allowed;
}
