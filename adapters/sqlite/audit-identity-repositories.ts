import type {
  CredentialRepository,
  OneTimeToken,
  SessionRepository,
  TokenRepository,
} from '../../src/ports/identity-storage.js';
import type { AuditRepository } from '../../src/ports/storage.js';
import type { FieldChange } from '../../src/types.js';
import { conditions, type SqlExecutor } from './connection.js';
import { auditEventFrom, credentialFrom, maybeMillis, millis, sessionFrom, tokenFrom } from './rows.js';

/** The audit trail, credentials, one-time tokens and sessions over SQLite. */
export function auditAndIdentityRepositories(sql: SqlExecutor): {
  audit: AuditRepository;
  credentials: CredentialRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
} {
  const insertToken = (token: OneTimeToken) =>
    sql.run(
      'INSERT INTO tenantry_tokens (digest, user_id, organization_id, purpose, origin, created_at, expires_at, consumed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        token.digest,
        token.userId,
        token.organizationId,
        token.purpose,
        token.origin,
        millis(token.createdAt),
        millis(token.expiresAt),
        maybeMillis(token.consumedAt),
      ],
    );
  return {
    audit: {
      async insert(events) {
        for (const event of events) {
          sql.run(
            'INSERT INTO tenantry_audit_events (id, at, actor, organization_id, action, target_id, changes, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [
              event.id,
              millis(event.at),
              JSON.stringify(event.actor),
              event.organizationId,
              event.action,
              event.targetId,
              JSON.stringify(event.changes),
              JSON.stringify(event.metadata),
            ],
          );
        }
      },
      async list(query) {
        const filter = conditions();
        filter.add('organization_id = ?', query.organizationId);
        if (query.action !== undefined) filter.add('action = ?', query.action);
        if (query.targetId !== undefined) filter.add('target_id = ?', query.targetId);
        if (query.after !== undefined) filter.add('at >= ?', millis(query.after));
        if (query.before !== undefined) filter.add('at < ?', millis(query.before));
        if (query.cursor !== undefined) filter.add('(at, id) < (?, ?)', query.cursor.at, query.cursor.id);
        const rows = sql.all(
          `SELECT * FROM tenantry_audit_events WHERE ${filter.sql} ORDER BY at DESC, id DESC LIMIT ?`,
          [...filter.params, query.limit],
        );
        return rows.map(auditEventFrom);
      },
      async redactChanges(targetId, fields, replacement) {
        const rows = sql.all('SELECT id, changes FROM tenantry_audit_events WHERE target_id = ?', [targetId]);
        for (const row of rows) {
          const changes = JSON.parse(String(row.changes)) as Record<string, FieldChange>;
          if (!fields.some((field) => field in changes)) continue;
          for (const field of fields) if (changes[field]) changes[field] = { before: replacement, after: replacement };
          sql.run('UPDATE tenantry_audit_events SET changes = ? WHERE id = ?', [JSON.stringify(changes), row.id]);
        }
      },
    },
    credentials: {
      async get(userId) {
        const [row] = sql.all('SELECT * FROM tenantry_credentials WHERE user_id = ?', [userId]);
        return row ? credentialFrom(row) : null;
      },
      async set(credential) {
        sql.run(
          `INSERT INTO tenantry_credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
          [credential.userId, credential.passwordHash, millis(credential.updatedAt)],
        );
      },
    },
    tokens: {
      async insert(token) {
        insertToken(token);
      },
      async insertMany(tokens) {
        // In process, a prepared statement per token is as fast as one long statement.
        for (const token of tokens) insertToken(token);
      },
      async get(digest) {
        const [row] = sql.all('SELECT * FROM tenantry_tokens WHERE digest = ?', [digest]);
        return row ? tokenFrom(row) : null;
      },
      async consume(digest, at) {
        // One statement under the write lock: of concurrent redemptions, exactly one changes the row.
        return (
          sql.run('UPDATE tenantry_tokens SET consumed_at = ? WHERE digest = ? AND consumed_at IS NULL', [
            millis(at),
            digest,
          ]) === 1
        );
      },
      async countIssued({ userId, organizationId, purposes, origins, since }) {
        // Only the owners asked for are named, so the plan always starts from their index.
        const filter = conditions();
        if (userId !== undefined) filter.add('user_id = ?', userId);
        if (organizationId !== undefined) filter.add('organization_id = ?', organizationId);
        filter.add('purpose IN (SELECT value FROM json_each(?))', JSON.stringify(purposes));
        filter.add('origin IN (SELECT value FROM json_each(?))', JSON.stringify(origins));
        filter.add('created_at >= ?', millis(since));
        const [row] = sql.all(`SELECT count(*) AS count FROM tenantry_tokens WHERE ${filter.sql}`, filter.params);
        return Number(row?.count ?? 0);
      },
      async revokeForUser(userId, at, purpose) {
        return sql.run(
          `UPDATE tenantry_tokens SET consumed_at = ?
           WHERE user_id = ? AND consumed_at IS NULL AND (? IS NULL OR purpose = ?)`,
          [millis(at), userId, purpose ?? null, purpose ?? null],
        );
      },
    },
    sessions: {
      async insert(session) {
        sql.run(
          `INSERT INTO tenantry_sessions (digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, ip, user_agent, revoked_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            session.digest,
            session.userId,
            millis(session.createdAt),
            millis(session.lastSeenAt),
            millis(session.expiresAt),
            millis(session.absoluteExpiresAt),
            session.ip,
            session.userAgent,
            maybeMillis(session.revokedAt),
          ],
        );
      },
      async get(digest) {
        const [row] = sql.all('SELECT * FROM tenantry_sessions WHERE digest = ?', [digest]);
        return row ? sessionFrom(row) : null;
      },
      async touch(digest, lastSeenAt, expiresAt) {
        sql.run('UPDATE tenantry_sessions SET last_seen_at = ?, expires_at = ? WHERE digest = ?', [
          millis(lastSeenAt),
          millis(expiresAt),
          digest,
        ]);
      },
      async revoke(digest, at) {
        sql.run('UPDATE tenantry_sessions SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL', [
          millis(at),
          digest,
        ]);
      },
      async listLive(userId, at) {
        const now = millis(at);
        const rows = sql.all(
          `SELECT * FROM tenantry_sessions
           WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND absolute_expires_at > ?
           ORDER BY last_seen_at DESC, digest`,
          [userId, now, now],
        );
        return rows.map(sessionFrom);
      },
      async revokeForUser(userId, at, keepDigest) {
        const [now, keep] = [millis(at), keepDigest ?? null];
        return sql.run(
          `UPDATE tenantry_sessions SET revoked_at = ?
           WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND absolute_expires_at > ?
             AND (? IS NULL OR digest <> ?)`,
          [now, userId, now, now, keep, keep],
        );
      },
    },
  };
}
