import type { Admission } from '../limits/admission.js';
import type { PasswordHasher } from './password-hasher.js';

/**
 * `hasher` with every hash and verification admitted by `admission`: a
 * bounded number in flight per process, the rest waiting in turn or refused
 * with `RATE_LIMITED` when too many wait.
 */
export function boundedHasher(hasher: PasswordHasher, admission: Admission): PasswordHasher {
  return {
    hash: (password) => admission.run(() => hasher.hash(password)),
    verify: (hash, password) => admission.run(() => hasher.verify(hash, password)),
    needsRehash: (hash) => hasher.needsRehash(hash),
    ...(hasher.recognizes ? { recognizes: (hash: string) => hasher.recognizes?.(hash) ?? false } : {}),
  };
}
