import {
  compareCodePoints,
  type FactorRepository,
  passkeyTakenError,
  type RecoveryCode,
  type RecoveryCodeRepository,
  type StoredFactor,
  type WebAuthnChallenge,
  type WebAuthnChallengeRepository,
} from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';
import { type Journal, journaledWrites } from './identity-repositories.js';

/**
 * The second-factor tables of the memory storage: factors with their ids by
 * user and by credential id (the unique index of the SQL adapters), each
 * user's recovery codes as one list (they are replaced whole), and WebAuthn
 * challenges by digest.
 */
export class FactorTables {
  readonly factors = new Map<string, StoredFactor>();
  readonly factorIdsByUser = new Map<string, readonly string[]>();
  readonly factorIdsByCredential = new Map<string, string>();
  readonly recoveryCodes = new Map<string, readonly RecoveryCode[]>();
  readonly challenges = new Map<string, WebAuthnChallenge>();

  /** Everything held, as plain data sorted by key, for `MemoryStorage.snapshot`. */
  snapshot(): unknown {
    const sorted = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => compareCodePoints(a, b));
    return {
      factors: sorted(this.factors),
      factorIdsByUser: sorted(this.factorIdsByUser),
      factorIdsByCredential: sorted(this.factorIdsByCredential),
      recoveryCodes: sorted(this.recoveryCodes),
      challenges: sorted(this.challenges),
    };
  }
}

/** Oldest first, then by id in code-point order: the order of `forUser` on every storage. */
const oldestFirst = (a: StoredFactor, b: StoredFactor) =>
  a.createdAt.getTime() - b.createdAt.getTime() || compareCodePoints(a.id, b.id);

/**
 * Factors, recovery codes and WebAuthn challenges over the memory tables,
 * inside one transaction. Every write replaces a map entry journaled with
 * `restore`, so a failed transaction leaves every table and index as it was.
 * Transactions run one at a time, so each check-then-write (a step, a
 * counter, a code, a challenge) is atomic.
 */
export function factorRepositories(
  tables: FactorTables,
  { live, restore }: Journal,
): {
  factors: FactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  webauthnChallenges: WebAuthnChallengeRepository;
} {
  const { factors, factorIdsByUser, factorIdsByCredential, recoveryCodes, challenges } = tables;
  const { put, drop } = journaledWrites(restore);
  const factorsOf = (userId: string) =>
    (factorIdsByUser.get(userId) ?? []).flatMap((id) => {
      const factor = factors.get(id);
      return factor ? [factor] : [];
    });
  /** Replaces a stored factor with `change` applied, when `accept` says so; whether it did. */
  const change = (id: string, accept: (factor: StoredFactor) => boolean, changed: Partial<StoredFactor>) => {
    live();
    const factor = factors.get(id);
    if (!factor || !accept(factor)) return false;
    put(factors, id, copy({ ...factor, ...changed }));
    return true;
  };
  const removeFactor = (factor: StoredFactor) => {
    drop(factors, factor.id);
    const left = (factorIdsByUser.get(factor.userId) ?? []).filter((id) => id !== factor.id);
    if (left.length === 0) drop(factorIdsByUser, factor.userId);
    else put(factorIdsByUser, factor.userId, left);
    if (factor.credentialId !== null) drop(factorIdsByCredential, factor.credentialId);
  };

  return {
    factors: {
      async insert(factor) {
        live();
        if (factors.has(factor.id)) throw new Error('duplicate factor id');
        if (factor.credentialId !== null && factorIdsByCredential.has(factor.credentialId)) throw passkeyTakenError();
        put(factors, factor.id, copy(factor));
        put(factorIdsByUser, factor.userId, [...(factorIdsByUser.get(factor.userId) ?? []), factor.id]);
        if (factor.credentialId !== null) put(factorIdsByCredential, factor.credentialId, factor.id);
      },
      async get(id) {
        live();
        const factor = factors.get(id);
        return factor ? copy(factor) : null;
      },
      async forUser(userId) {
        live();
        return factorsOf(userId).sort(oldestFirst).map(copy);
      },
      async confirmedUsers(userIds) {
        live();
        return new Set(userIds.filter((userId) => factorsOf(userId).some((factor) => factor.confirmedAt !== null)));
      },
      async byCredentialId(credentialId) {
        live();
        const id = factorIdsByCredential.get(credentialId);
        const factor = id === undefined ? undefined : factors.get(id);
        return factor ? copy(factor) : null;
      },
      confirm: async (id, at) => change(id, (factor) => factor.confirmedAt === null, { confirmedAt: at }),
      useStep: async (id, step, at) =>
        change(id, (factor) => factor.lastStep === null || factor.lastStep < step, { lastStep: step, lastUsedAt: at }),
      useCounter: async (id, counter, at) =>
        change(id, (factor) => factor.counter < counter || (factor.counter === 0 && counter === 0), {
          counter,
          lastUsedAt: at,
        }),
      async remove(userId, id) {
        live();
        const factor = factors.get(id);
        if (!factor || factor.userId !== userId) return false;
        removeFactor(factor);
        return true;
      },
      async removeForUser(userId) {
        live();
        let confirmed = 0;
        for (const factor of factorsOf(userId)) {
          if (factor.confirmedAt !== null) confirmed += 1;
          removeFactor(factor);
        }
        return confirmed;
      },
    },
    recoveryCodes: {
      async replace(userId, digests, at) {
        live();
        const codes = [...new Set(digests)].map((digest) => ({ userId, digest, createdAt: at, usedAt: null }));
        if (codes.length === 0) drop(recoveryCodes, userId);
        else put(recoveryCodes, userId, copy(codes));
      },
      async use(userId, digest, at) {
        live();
        const codes = recoveryCodes.get(userId) ?? [];
        const index = codes.findIndex((code) => code.digest === digest && code.usedAt === null);
        if (index < 0) return false;
        put(
          recoveryCodes,
          userId,
          codes.map((code, position) => (position === index ? { ...code, usedAt: new Date(at.getTime()) } : code)),
        );
        return true;
      },
      async countUnused(userId) {
        live();
        return (recoveryCodes.get(userId) ?? []).filter((code) => code.usedAt === null).length;
      },
      async removeForUser(userId) {
        live();
        if (recoveryCodes.has(userId)) drop(recoveryCodes, userId);
      },
    },
    webauthnChallenges: {
      async insert(challenge) {
        live();
        if (challenges.has(challenge.digest)) throw new Error('duplicate challenge');
        put(challenges, challenge.digest, copy(challenge));
      },
      async get(digest) {
        live();
        const challenge = challenges.get(digest);
        return challenge ? copy(challenge) : null;
      },
      async consume(digest, at) {
        live();
        const challenge = challenges.get(digest);
        if (!challenge || challenge.consumedAt !== null || challenge.expiresAt.getTime() <= at.getTime()) return false;
        put(challenges, digest, { ...challenge, consumedAt: new Date(at.getTime()) });
        return true;
      },
    },
  };
}
