import {
  compareCodePoints,
  type SsoAssertionRepository,
  type SsoIdentity,
  type SsoIdentityRepository,
  type SsoLogin,
  type SsoLoginRepository,
  ssoIdentityLinkedError,
} from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';
import { type Journal, journaledWrites } from './identity-repositories.js';

/**
 * The key of a row whose primary key has two columns (a claim's organization
 * and domain, an assertion's or a link's connection and id). Ids, domains and
 * subjects never hold a NUL, so no two pairs share a key.
 */
export const pairKey = (first: string, second: string): string => `${first}\u0000${second}`;

/**
 * The tables of sign-ins through SSO in the memory storage: started logins by
 * digest, with the digest of each SAML request id; accepted assertion ids by
 * connection and id; and links to users by connection and subject, with the
 * keys of each user's links and of each connection's.
 */
export class SsoSignInTables {
  readonly logins = new Map<string, SsoLogin>();
  readonly loginsByRequestId = new Map<string, string>();
  readonly assertions = new Map<string, Date>();
  readonly identities = new Map<string, SsoIdentity>();
  readonly identityKeysByUser = new Map<string, readonly string[]>();
  readonly identityKeysByConnection = new Map<string, readonly string[]>();

  /** Everything held, as plain data sorted by key, for `MemoryStorage.snapshot`. */
  snapshot(): Record<string, unknown> {
    const sorted = <V>(map: Map<string, V>) => [...map.entries()].sort(([a], [b]) => compareCodePoints(a, b));
    return {
      logins: sorted(this.logins),
      loginsByRequestId: sorted(this.loginsByRequestId),
      assertions: sorted(this.assertions),
      identities: sorted(this.identities),
      identityKeysByUser: sorted(this.identityKeysByUser),
      identityKeysByConnection: sorted(this.identityKeysByConnection),
    };
  }
}

/** Oldest first, then by connection and subject in code-point order: the order of `forUser` on every storage. */
const oldestFirst = (a: SsoIdentity, b: SsoIdentity) =>
  a.createdAt.getTime() - b.createdAt.getTime() ||
  compareCodePoints(a.connectionId, b.connectionId) ||
  compareCodePoints(a.subject, b.subject);

/**
 * Started logins, accepted assertion ids and identity links over the memory
 * tables, inside one transaction, journaled like every other write of the
 * memory storage. Transactions run one at a time, so consuming a login and
 * remembering an assertion id are each one check-then-write.
 * `removeIdentitiesOf` takes a connection's links away with it.
 */
export function ssoSignInRepositories(
  tables: SsoSignInTables,
  { live, restore }: Journal,
): {
  ssoLogins: SsoLoginRepository;
  ssoAssertions: SsoAssertionRepository;
  ssoIdentities: SsoIdentityRepository;
  removeIdentitiesOf(connectionId: string): void;
} {
  const { logins, loginsByRequestId, assertions, identities, identityKeysByUser, identityKeysByConnection } = tables;
  const { put, drop } = journaledWrites(restore);
  const keysOf = (index: Map<string, readonly string[]>, key: string) => index.get(key) ?? [];
  const unindex = (index: Map<string, readonly string[]>, key: string, value: string) => {
    const left = keysOf(index, key).filter((held) => held !== value);
    if (left.length === 0) drop(index, key);
    else put(index, key, left);
  };
  const removeIdentity = (key: string) => {
    const identity = identities.get(key);
    if (!identity) return;
    drop(identities, key);
    unindex(identityKeysByUser, identity.userId, key);
    unindex(identityKeysByConnection, identity.connectionId, key);
  };
  const readLogin = (digest: string | undefined) => {
    const login = digest === undefined ? undefined : logins.get(digest);
    return login ? copy(login) : null;
  };

  return {
    ssoLogins: {
      async insert(login) {
        live();
        if (logins.has(login.digest)) throw new Error('duplicate sso login');
        put(logins, login.digest, copy(login));
        if (login.requestId !== null) put(loginsByRequestId, login.requestId, login.digest);
      },
      async get(digest) {
        live();
        return readLogin(digest);
      },
      async byRequestId(requestId) {
        live();
        return readLogin(loginsByRequestId.get(requestId));
      },
      async consume(digest, at) {
        live();
        const login = logins.get(digest);
        if (!login || login.consumedAt !== null || login.expiresAt.getTime() <= at.getTime()) return false;
        put(logins, digest, { ...login, consumedAt: new Date(at.getTime()) });
        return true;
      },
    },
    ssoAssertions: {
      async remember(connectionId, assertionId, expiresAt) {
        live();
        const key = pairKey(connectionId, assertionId);
        if (assertions.has(key)) return false;
        put(assertions, key, new Date(expiresAt.getTime()));
        return true;
      },
    },
    ssoIdentities: {
      async insert(identity) {
        live();
        const key = pairKey(identity.connectionId, identity.subject);
        if (identities.has(key)) throw ssoIdentityLinkedError();
        put(identities, key, copy(identity));
        put(identityKeysByUser, identity.userId, [...keysOf(identityKeysByUser, identity.userId), key]);
        put(identityKeysByConnection, identity.connectionId, [
          ...keysOf(identityKeysByConnection, identity.connectionId),
          key,
        ]);
      },
      async get(connectionId, subject) {
        live();
        const identity = identities.get(pairKey(connectionId, subject));
        return identity ? copy(identity) : null;
      },
      async touch(connectionId, subject, at) {
        live();
        const key = pairKey(connectionId, subject);
        const identity = identities.get(key);
        if (identity) put(identities, key, { ...identity, lastSignInAt: new Date(at.getTime()) });
      },
      async forUser(userId) {
        live();
        return keysOf(identityKeysByUser, userId)
          .flatMap((key) => {
            const identity = identities.get(key);
            return identity ? [identity] : [];
          })
          .sort(oldestFirst)
          .map(copy);
      },
      async removeForUser(userId) {
        live();
        for (const key of keysOf(identityKeysByUser, userId)) removeIdentity(key);
      },
    },
    removeIdentitiesOf(connectionId) {
      for (const key of keysOf(identityKeysByConnection, connectionId)) removeIdentity(key);
    },
  };
}
