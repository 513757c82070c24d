import type { PasswordHasher } from './password-hasher.js';

/** argon2id cost parameters. */
export interface Argon2Options {
  /** Memory in KiB (default 19456 = 19 MiB). */
  memoryCost?: number;
  /** Iterations (default 2). */
  timeCost?: number;
  /** Lanes (default 1). */
  parallelism?: number;
}

/** `Algorithm.Argon2id`; the package's enum is `const`, which isolated modules cannot read. */
const ARGON2ID = 2;

const FORMAT = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/** The binding is loaded on first use, so that importing tenantry costs nothing until a password is hashed. */
let binding: Promise<typeof import('@node-rs/argon2')> | undefined;
const argon2 = () => {
  binding ??= import('@node-rs/argon2');
  return binding;
};

/**
 * argon2id through `@node-rs/argon2` (native, off the event loop) at the
 * OWASP Password Storage Cheat Sheet's first setting (m=19 MiB, t=2, p=1), as
 * PHC strings `$argon2id$v=19$m=…,t=…,p=…$salt$hash`: about 15–20 ms a hash
 * on a small server. The default hasher's algorithm.
 *
 * @example
 * ```ts
 * new UserManagement({ storage, mailer, passwordHasher: argon2Hasher({ memoryCost: 47_104, timeCost: 1 }) });
 * ```
 */
export function argon2Hasher(options: Argon2Options = {}): PasswordHasher {
  const { memoryCost = 19_456, timeCost = 2, parallelism = 1 } = options;
  if (
    memoryCost < 8 * parallelism ||
    memoryCost > 4_194_304 ||
    timeCost < 1 ||
    timeCost > 100 ||
    parallelism < 1 ||
    parallelism > 16
  ) {
    throw new RangeError('argon2 parameters out of range');
  }
  return {
    hash: async (password) =>
      (await argon2()).hash(password, { algorithm: ARGON2ID as never, memoryCost, timeCost, parallelism }),
    async verify(stored, password) {
      const match = FORMAT.exec(stored);
      // A stored hash must not make verification arbitrarily expensive.
      if (!match || Number(match[1]) > 4_194_304 || Number(match[2]) > 100) return false;
      try {
        return await (await argon2()).verify(stored, password);
      } catch {
        return false;
      }
    },
    needsRehash(stored) {
      const match = FORMAT.exec(stored);
      return (
        !match || Number(match[1]) !== memoryCost || Number(match[2]) !== timeCost || Number(match[3]) !== parallelism
      );
    },
    recognizes: (stored) => stored.startsWith('$argon2id$'),
  };
}
