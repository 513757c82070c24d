import type {
  Credential,
  CredentialRepository,
  OneTimeToken,
  Session,
  SessionRepository,
  TokenRepository,
} from '../../src/adapter-kit/index.js';

/** The identity tables of the memory storage, with the digests of tokens and sessions by user and organization. */
export class IdentityTables {
  readonly credentials = new Map<string, Credential>();
  readonly tokens = new Map<string, OneTimeToken>();
  readonly sessions = new Map<string, Session>();
  readonly tokensByUser = new Map<string, readonly string[]>();
  readonly tokensByOrganization = new Map<string, readonly string[]>();
  readonly sessionsByUser = new Map<string, readonly string[]>();
}

/** What a repository needs from its transaction: a liveness check and an undo journal. */
export interface Journal {
  live(): void;
  restore<K, V>(map: Map<K, V>, key: K): void;
}

/** Sets and deletes that the transaction can undo: each key's value is journaled before it changes. */
export function journaledWrites(restore: Journal['restore']) {
  return {
    put<V>(map: Map<string, V>, key: string, value: V): void {
      restore(map, key);
      map.set(key, value);
    },
    drop<V>(map: Map<string, V>, key: string): void {
      restore(map, key);
      map.delete(key);
    },
  };
}

import { copy, copySession } from './copy.js';

/** Credential, token and session repositories over the memory tables, inside one transaction. */
export function identityRepositories(
  tables: IdentityTables,
  journal: Journal,
): { credentials: CredentialRepository; tokens: TokenRepository; sessions: SessionRepository } {
  const { live, restore } = journal;
  const replace = <V>(map: Map<string, V>, key: string, value: V, copier: (value: V) => V = copy) => {
    restore(map, key);
    map.set(key, copier(value));
  };
  /** Adds a digest to an index; the index's old list is journaled, so a rollback drops it again. */
  const addTo = (index: Map<string, readonly string[]>, key: string, digest: string) => {
    restore(index, key);
    index.set(key, [...(index.get(key) ?? []), digest]);
  };
  /** Replaces a digest in an index, journaled like {@link addTo}. */
  const renameIn = (index: Map<string, readonly string[]>, key: string, digest: string, newDigest: string) => {
    restore(index, key);
    index.set(
      key,
      (index.get(key) ?? []).map((held) => (held === digest ? newDigest : held)),
    );
  };
  const indexed = <V>(table: Map<string, V>, index: Map<string, readonly string[]>, key: string): V[] =>
    (index.get(key) ?? []).map((digest) => table.get(digest) as V);
  const putToken = (token: OneTimeToken) => {
    live();
    if (tables.tokens.has(token.digest)) throw new Error('duplicate token');
    replace(tables.tokens, token.digest, token);
    addTo(tables.tokensByUser, token.userId, token.digest);
    addTo(tables.tokensByOrganization, token.organizationId, token.digest);
  };
  const read = async <V>(map: Map<string, V>, key: string, copier: (value: V) => V = copy) => {
    live();
    const value = map.get(key);
    return value === undefined ? null : copier(value);
  };

  return {
    credentials: {
      get: (userId) => read(tables.credentials, userId),
      async set(credential) {
        live();
        replace(tables.credentials, credential.userId, credential);
      },
    },
    tokens: {
      insert: async (token) => putToken(token),
      async insertMany(tokens) {
        for (const token of tokens) putToken(token);
      },
      get: (digest) => read(tables.tokens, digest),
      async consume(digest, at) {
        live();
        const token = tables.tokens.get(digest);
        if (!token || token.consumedAt !== null) return false;
        replace(tables.tokens, digest, { ...token, consumedAt: at });
        return true;
      },
      async rotate(digest, newDigest, at) {
        live();
        const token = tables.tokens.get(digest);
        if (!token || token.consumedAt !== null || token.expiresAt.getTime() <= at.getTime()) return false;
        if (tables.tokens.has(newDigest)) throw new Error('duplicate token');
        restore(tables.tokens, digest);
        tables.tokens.delete(digest);
        replace(tables.tokens, newDigest, { ...token, digest: newDigest });
        renameIn(tables.tokensByUser, token.userId, digest, newDigest);
        renameIn(tables.tokensByOrganization, token.organizationId, digest, newDigest);
        return true;
      },
      async countIssued({ userId, organizationId, purposes, origins, since }) {
        live();
        let count = 0;
        const candidates =
          userId !== undefined
            ? indexed(tables.tokens, tables.tokensByUser, userId)
            : organizationId !== undefined
              ? indexed(tables.tokens, tables.tokensByOrganization, organizationId)
              : tables.tokens.values();
        for (const token of candidates) {
          if (userId !== undefined && token.userId !== userId) continue;
          if (organizationId !== undefined && token.organizationId !== organizationId) continue;
          if (!purposes.includes(token.purpose) || !origins.includes(token.origin)) continue;
          if (token.createdAt >= since) count += 1;
        }
        return count;
      },
      async revokeForUser(userId, at, purpose) {
        live();
        let revoked = 0;
        for (const token of indexed(tables.tokens, tables.tokensByUser, userId)) {
          if (token.consumedAt !== null) continue;
          if (purpose !== undefined && token.purpose !== purpose) continue;
          replace(tables.tokens, token.digest, { ...token, consumedAt: at });
          revoked += 1;
        }
        return revoked;
      },
    },
    sessions: {
      async insert(session) {
        live();
        if (tables.sessions.has(session.digest)) throw new Error('duplicate session');
        replace(tables.sessions, session.digest, session, copySession);
        addTo(tables.sessionsByUser, session.userId, session.digest);
      },
      get: (digest) => read(tables.sessions, digest, copySession),
      async touch(digest, lastSeenAt, expiresAt) {
        live();
        const session = tables.sessions.get(digest);
        if (session) replace(tables.sessions, digest, { ...session, lastSeenAt, expiresAt }, copySession);
      },
      async revoke(digest, at) {
        live();
        const session = tables.sessions.get(digest);
        if (session && session.revokedAt === null)
          replace(tables.sessions, digest, { ...session, revokedAt: at }, copySession);
      },
      async listLive(userId, at) {
        live();
        return indexed(tables.sessions, tables.sessionsByUser, userId)
          .filter((session) => session.revokedAt === null && session.expiresAt > at && session.absoluteExpiresAt > at)
          .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime() || (a.digest < b.digest ? -1 : 1))
          .map(copySession);
      },
      async revokeForUser(userId, at, keepDigest) {
        live();
        let revoked = 0;
        for (const session of indexed(tables.sessions, tables.sessionsByUser, userId)) {
          if (session.revokedAt !== null || session.digest === keepDigest) continue;
          if (session.expiresAt <= at || session.absoluteExpiresAt <= at) continue;
          replace(tables.sessions, session.digest, { ...session, revokedAt: at }, copySession);
          revoked += 1;
        }
        return revoked;
      },
    },
  };
}
