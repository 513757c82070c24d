import type {
  CredentialRepository,
  OneTimeToken,
  SessionRepository,
  TokenRepository,
} from '../../src/ports/identity-storage.js';
import type { AuditRepository } from '../../src/ports/storage.js';
import type { FieldChange } from '../../src/types.js';
import type { SqlExecutor } from './executor.js';
import { auditEventFrom, sessionFrom, tokenFrom } from './rows.js';

/** The audit trail, credentials, one-time tokens and sessions over SQL. */
export function auditAndIdentityRepositories(sql: SqlExecutor): {
  audit: AuditRepository;
  credentials: CredentialRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
} {
  return {
    audit: {
      async insert(events) {
        // One statement per thousand events (a call's events, or an import batch's).
        for (let start = 0; start < events.length; start += 1_000) {
          const batch = events.slice(start, start + 1_000);
          const rows = batch.map(
            (_, row) => `(${Array.from({ length: 8 }, (_, column) => `$${row * 8 + column + 1}`).join(', ')})`,
          );
          await sql.query(
            `INSERT INTO tenantry_audit_events (id, at, actor, organization_id, action, target_id, changes, metadata) VALUES ${rows.join(', ')}`,
            batch.flatMap((event) => [
              event.id,
              event.at,
              event.actor,
              event.organizationId,
              event.action,
              event.targetId,
              event.changes,
              event.metadata,
            ]),
          );
        }
      },
      async list(query) {
        const rows = await sql.query(
          `SELECT * FROM tenantry_audit_events
           WHERE organization_id = $1 AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target_id = $3)
             AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
             AND ($6::timestamptz IS NULL OR (at, id COLLATE "C") < ($6, $7::text COLLATE "C"))
           ORDER BY at DESC, id COLLATE "C" DESC LIMIT $8`,
          [
            query.organizationId,
            query.action ?? null,
            query.targetId ?? null,
            query.after ?? null,
            query.before ?? null,
            query.cursor ? new Date(query.cursor.at) : null,
            query.cursor?.id ?? null,
            query.limit,
          ],
        );
        return rows.map(auditEventFrom);
      },
      async redactChanges(targetId, fields, replacement) {
        const rows = await sql.query('SELECT id, changes FROM tenantry_audit_events WHERE target_id = $1', [targetId]);
        for (const row of rows) {
          const event = auditEventFrom({ ...row, at: new Date(0), actor: {}, metadata: {}, action: '' });
          const changes: Record<string, FieldChange> = { ...event.changes };
          if (!fields.some((field) => field in changes)) continue;
          for (const field of fields) if (changes[field]) changes[field] = { before: replacement, after: replacement };
          await sql.query('UPDATE tenantry_audit_events SET changes = $2 WHERE id = $1', [event.id, changes]);
        }
      },
    },
    credentials: {
      async get(userId) {
        const rows = await sql.query(
          'SELECT user_id, password_hash, updated_at FROM tenantry_credentials WHERE user_id = $1',
          [userId],
        );
        const row = rows[0];
        return row
          ? {
              userId: String(row.user_id),
              passwordHash: String(row.password_hash),
              updatedAt: new Date(row.updated_at as Date),
            }
          : null;
      },
      async set(credential) {
        await sql.query(
          `INSERT INTO tenantry_credentials (user_id, password_hash, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
          [credential.userId, credential.passwordHash, credential.updatedAt],
        );
      },
    },
    tokens: {
      insert: (token) => insertTokens(sql, [token]),
      insertMany: (tokens) => insertTokens(sql, tokens),
      async get(digest) {
        const rows = await sql.query('SELECT * FROM tenantry_tokens WHERE digest = $1', [digest]);
        return rows[0] ? tokenFrom(rows[0]) : null;
      },
      async consume(digest, at) {
        const rows = await sql.query(
          'UPDATE tenantry_tokens SET consumed_at = $2 WHERE digest = $1 AND consumed_at IS NULL RETURNING digest',
          [digest, at],
        );
        return rows.length === 1;
      },
      async countIssued({ userId, organizationId, purposes, origins, since }) {
        // Only the owners asked for are named, so the plan always starts from their index.
        const params: unknown[] = [purposes, origins, since];
        const owners: string[] = [];
        if (userId !== undefined) owners.push(`user_id = $${params.push(userId)}`);
        if (organizationId !== undefined) owners.push(`organization_id = $${params.push(organizationId)}`);
        const rows = await sql.query(
          `SELECT count(*)::int AS count FROM tenantry_tokens
           WHERE ${[...owners, 'purpose = ANY($1::text[]) AND origin = ANY($2::text[]) AND created_at >= $3'].join(' AND ')}`,
          params,
        );
        return Number(rows[0]?.count ?? 0);
      },
      async revokeForUser(userId, at, purpose) {
        const rows = await sql.query(
          `UPDATE tenantry_tokens SET consumed_at = $2
           WHERE user_id = $1 AND consumed_at IS NULL AND ($3::text IS NULL OR purpose = $3) RETURNING digest`,
          [userId, at, purpose ?? null],
        );
        return rows.length;
      },
    },
    sessions: {
      async insert(session) {
        await sql.query(
          `INSERT INTO tenantry_sessions (digest, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, ip, user_agent, revoked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            session.digest,
            session.userId,
            session.createdAt,
            session.lastSeenAt,
            session.expiresAt,
            session.absoluteExpiresAt,
            session.ip,
            session.userAgent,
            session.revokedAt,
          ],
        );
      },
      async get(digest) {
        const rows = await sql.query('SELECT * FROM tenantry_sessions WHERE digest = $1', [digest]);
        return rows[0] ? sessionFrom(rows[0]) : null;
      },
      async touch(digest, lastSeenAt, expiresAt) {
        await sql.query('UPDATE tenantry_sessions SET last_seen_at = $2, expires_at = $3 WHERE digest = $1', [
          digest,
          lastSeenAt,
          expiresAt,
        ]);
      },
      async revoke(digest, at) {
        await sql.query('UPDATE tenantry_sessions SET revoked_at = $2 WHERE digest = $1 AND revoked_at IS NULL', [
          digest,
          at,
        ]);
      },
      async listLive(userId, at) {
        const rows = await sql.query(
          `SELECT * FROM tenantry_sessions
           WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND absolute_expires_at > $2
           ORDER BY last_seen_at DESC, digest COLLATE "C"`,
          [userId, at],
        );
        return rows.map(sessionFrom);
      },
      async revokeForUser(userId, at, keepDigest) {
        const rows = await sql.query(
          `UPDATE tenantry_sessions SET revoked_at = $2
           WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND absolute_expires_at > $2
             AND ($3::text IS NULL OR digest <> $3) RETURNING digest`,
          [userId, at, keepDigest ?? null],
        );
        return rows.length;
      },
    },
  };
}

/** Tokens in one statement per thousand. */
async function insertTokens(sql: SqlExecutor, tokens: readonly OneTimeToken[]): Promise<void> {
  for (let start = 0; start < tokens.length; start += 1_000) {
    const batch = tokens.slice(start, start + 1_000);
    const rows = batch.map(
      (_, row) => `(${Array.from({ length: 8 }, (_, column) => `$${row * 8 + column + 1}`).join(', ')})`,
    );
    await sql.query(
      `INSERT INTO tenantry_tokens (digest, user_id, organization_id, purpose, origin, created_at, expires_at, consumed_at) VALUES ${rows.join(', ')}`,
      batch.flatMap((token) => [
        token.digest,
        token.userId,
        token.organizationId,
        token.purpose,
        token.origin,
        token.createdAt,
        token.expiresAt,
        token.consumedAt,
      ]),
    );
  }
}
