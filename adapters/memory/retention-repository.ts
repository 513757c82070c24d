import type {
  AuditEvent,
  ImportReport,
  OneTimeToken,
  PurgeKind,
  RetentionRepository,
  Session,
  SsoLogin,
  WebAuthnChallenge,
} from '../../src/adapter-kit/index.js';
import { type Journal, journaledWrites } from './identity-repositories.js';

/** The memory tables a purge removes rows from, with the indexes that list them. */
export interface RetentionTables {
  readonly sessions: Map<string, Session>;
  readonly sessionsByUser: Map<string, readonly string[]>;
  readonly tokens: Map<string, OneTimeToken>;
  readonly tokensByUser: Map<string, readonly string[]>;
  readonly tokensByOrganization: Map<string, readonly string[]>;
  readonly audit: AuditEvent[];
  readonly imports: Map<string, ImportReport>;
  readonly secondFactors: { readonly challenges: Map<string, WebAuthnChallenge> };
  readonly sso: {
    readonly logins: Map<string, SsoLogin>;
    readonly loginsByRequestId: Map<string, string>;
    readonly assertions: Map<string, Date>;
  };
}

/** The keys of at most `limit` entries of `map` that `selected` picks, in insertion order (oldest first). */
function firstKeys<V>(map: Map<string, V>, limit: number, selected: (value: V) => boolean): string[] {
  const keys: string[] = [];
  for (const [key, value] of map) {
    if (keys.length >= limit) break;
    if (selected(value)) keys.push(key);
  }
  return keys;
}

const before = (date: Date | null, cutoff: Date) => date !== null && date.getTime() < cutoff.getTime();

/**
 * The purge over the memory tables, inside one transaction: each removal
 * journaled like every other write, its indexes updated with it. Rows are
 * looked for in insertion order, which is about the order they end in, so a
 * batch stops soon after it has found `limit`.
 */
export function retentionRepository(
  tables: RetentionTables,
  { live, restore, undo }: Journal & { undo: (() => void)[] },
): RetentionRepository {
  const { put, drop } = journaledWrites(restore);
  const unindex = (index: Map<string, readonly string[]>, key: string, value: string) => {
    const left = (index.get(key) ?? []).filter((held) => held !== value);
    if (left.length === 0) drop(index, key);
    else put(index, key, left);
  };
  const purgers: Record<PurgeKind, (cutoff: Date, limit: number) => number> = {
    sessions(cutoff, limit) {
      const digests = firstKeys(
        tables.sessions,
        limit,
        (session) => before(session.revokedAt, cutoff) || before(session.absoluteExpiresAt, cutoff),
      );
      for (const digest of digests) {
        const session = tables.sessions.get(digest) as Session;
        drop(tables.sessions, digest);
        unindex(tables.sessionsByUser, session.userId, digest);
      }
      return digests.length;
    },
    tokens(cutoff, limit) {
      const digests = firstKeys(
        tables.tokens,
        limit,
        (token) => before(token.consumedAt, cutoff) || before(token.expiresAt, cutoff),
      );
      for (const digest of digests) {
        const token = tables.tokens.get(digest) as OneTimeToken;
        drop(tables.tokens, digest);
        unindex(tables.tokensByUser, token.userId, digest);
        unindex(tables.tokensByOrganization, token.organizationId, digest);
      }
      return digests.length;
    },
    webauthnChallenges(cutoff, limit) {
      const { challenges } = tables.secondFactors;
      const digests = firstKeys(challenges, limit, (challenge) => before(challenge.expiresAt, cutoff));
      for (const digest of digests) drop(challenges, digest);
      return digests.length;
    },
    ssoLogins(cutoff, limit) {
      const { logins, loginsByRequestId } = tables.sso;
      const digests = firstKeys(logins, limit, (login) => before(login.expiresAt, cutoff));
      for (const digest of digests) {
        const { requestId } = logins.get(digest) as SsoLogin;
        drop(logins, digest);
        if (requestId !== null && loginsByRequestId.get(requestId) === digest) drop(loginsByRequestId, requestId);
      }
      return digests.length;
    },
    ssoAssertions(cutoff, limit) {
      const { assertions } = tables.sso;
      const keys = firstKeys(assertions, limit, (expiresAt) => before(expiresAt, cutoff));
      for (const key of keys) drop(assertions, key);
      return keys.length;
    },
    importReports(cutoff, limit) {
      const ids = firstKeys(tables.imports, limit, (report) => before(report.updatedAt, cutoff));
      for (const id of ids) drop(tables.imports, id);
      return ids.length;
    },
    auditEvents(cutoff, limit) {
      const { audit } = tables;
      const previous = audit.slice();
      let removed = 0;
      let kept = 0;
      for (const event of previous) {
        if (removed < limit && before(event.at, cutoff)) removed += 1;
        else audit[kept++] = event;
      }
      if (removed === 0) return 0;
      audit.length = kept;
      undo.push(() => {
        audit.length = 0;
        for (const event of previous) audit.push(event);
      });
      return removed;
    },
  };
  return {
    async purge(kind, cutoff, limit) {
      live();
      return purgers[kind](cutoff, limit);
    },
  };
}
