import type {
  AuditRepository,
  CredentialRepository,
  FieldChange,
  SessionRepository,
  TokenRepository,
} from '../../src/adapter-kit/index.js';
import { emailKey } from '../../src/adapter-kit/index.js';
import { insertRows, Parameters, querying, type SqlDialect, type SqlExecutor, whereAll, writeSoon } from './dialect.js';
import { auditEventColumns, sessionColumns, tokenColumns } from './row-mapping.js';
import { userColumns } from './user-row.js';

const qualifiedUserColumns = userColumns
  .split(',')
  .map((column) => `u.${column.trim()}`)
  .join(', ');

/** The audit trail, credentials, one-time tokens and sessions over SQL, in the given dialect. */
export function auditAndIdentityRepositories(
  sql: SqlExecutor,
  dialect: SqlDialect,
): { audit: AuditRepository; credentials: CredentialRepository; tokens: TokenRepository; sessions: SessionRepository } {
  const { rows, codec } = dialect;
  const tokens = { table: 'tenantry_tokens', columns: tokenColumns, values: rows.tokenValues };
  const run = querying(sql, dialect);
  return {
    audit: {
      async insert(events) {
        const into = {
          table: 'tenantry_audit_events',
          columns: auditEventColumns,
          values: rows.auditEventValues,
          soon: true,
        };
        await insertRows(sql, dialect, into, events);
      },
      async list(query) {
        const found = await run(({ bind, date }) => {
          const where = [`organization_id = ${bind(query.organizationId)}`];
          if (query.action !== undefined) where.push(`action = ${bind(query.action)}`);
          if (query.targetId !== undefined) where.push(`target_id = ${bind(query.targetId)}`);
          if (query.after !== undefined) where.push(`at >= ${date(query.after)}`);
          if (query.before !== undefined) where.push(`at < ${date(query.before)}`);
          if (query.cursor !== undefined) {
            const position = `${dialect.dateValue(date(new Date(query.cursor.at)))}, ${dialect.bytewiseValue(bind(query.cursor.id))}`;
            where.push(`(at, ${dialect.bytewise('id')}) < (${position})`);
          }
          return `SELECT * FROM tenantry_audit_events${whereAll(where)}
                  ORDER BY at DESC, ${dialect.bytewise('id')} DESC LIMIT ${bind(query.limit)}`;
        });
        return found.map(rows.auditEventFrom);
      },
      async redactChanges(targetId, fields, replacement) {
        const events = await run(
          ({ bind }) => `SELECT id, changes FROM tenantry_audit_events WHERE target_id = ${bind(targetId)}`,
        );
        for (const event of events) {
          const changes = { ...codec.readJson<Record<string, FieldChange>>(event.changes) };
          if (!fields.some((field) => field in changes)) continue;
          for (const field of fields) if (changes[field]) changes[field] = { before: replacement, after: replacement };
          await run(
            ({ bind }) =>
              `UPDATE tenantry_audit_events SET changes = ${bind(codec.writeJson(changes))} WHERE id = ${bind(event.id)}`,
          );
        }
      },
    },
    credentials: {
      async get(userId) {
        const [row] = await run(
          ({ bind }) =>
            `SELECT user_id, password_hash, updated_at FROM tenantry_credentials WHERE user_id = ${bind(userId)}`,
        );
        return row ? rows.credentialFrom(row) : null;
      },
      async getByEmail(email) {
        const [row] = await run(
          ({ bind }) =>
            `SELECT ${qualifiedUserColumns}, c.password_hash AS credential_hash, c.updated_at AS credential_updated_at
             FROM tenantry_users u LEFT JOIN tenantry_credentials c ON c.user_id = u.id
             WHERE u.email_key = ${bind(emailKey(email))}`,
        );
        if (!row) return null;
        const user = rows.userFrom(row);
        const { credential_hash: passwordHash, credential_updated_at: updatedAt } = row;
        const credential =
          passwordHash === null || passwordHash === undefined
            ? null
            : rows.credentialFrom({ user_id: user.id, password_hash: passwordHash, updated_at: updatedAt });
        return { user, credential };
      },
      async set(credential) {
        const params = new Parameters(dialect);
        const values = params.tuple([
          credential.userId,
          credential.passwordHash,
          codec.writeDate(credential.updatedAt),
        ]);
        const text = `INSERT INTO tenantry_credentials (user_id, password_hash, updated_at) VALUES ${values}
             ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`;
        await writeSoon(sql, { text, params: params.values, table: 'tenantry_credentials' });
      },
    },
    tokens: {
      insert: (token) => insertRows(sql, dialect, { ...tokens, soon: true }, [token]),
      insertMany: (batch) => insertRows(sql, dialect, tokens, batch),
      async get(digest) {
        const [row] = await run(({ bind }) => `SELECT * FROM tenantry_tokens WHERE digest = ${bind(digest)}`);
        return row ? rows.tokenFrom(row) : null;
      },
      async consume(digest, at) {
        // One statement: of concurrent redemptions, exactly one finds the token open and changes it.
        const changed = await run(
          ({ bind, date }) =>
            `UPDATE tenantry_tokens SET consumed_at = ${date(at)}
             WHERE digest = ${bind(digest)} AND consumed_at IS NULL RETURNING digest`,
        );
        return changed.length === 1;
      },
      async rotate(digest, newDigest, at) {
        const changed = await run(
          ({ bind, date }) =>
            `UPDATE tenantry_tokens SET digest = ${bind(newDigest)}
             WHERE digest = ${bind(digest)} AND consumed_at IS NULL AND expires_at > ${date(at)} RETURNING digest`,
        );
        return changed.length === 1;
      },
      async countIssued({ userId, organizationId, purposes, origins, since }) {
        // Only the owners asked for are named, so the plan always starts from their index.
        const [row] = await run(({ bind, date, list }) => {
          const where: string[] = [];
          if (userId !== undefined) where.push(`user_id = ${bind(userId)}`);
          if (organizationId !== undefined) where.push(`organization_id = ${bind(organizationId)}`);
          where.push(dialect.isAnyOf('purpose', list(purposes)), dialect.isAnyOf('origin', list(origins)));
          where.push(`created_at >= ${date(since)}`);
          return `SELECT count(*) AS count FROM tenantry_tokens${whereAll(where)}`;
        });
        return Number(row?.count ?? 0);
      },
      async revokeForUser(userId, at, purpose) {
        const revoked = await run(({ bind, date }) => {
          const set = `consumed_at = ${date(at)}`;
          const where = [`user_id = ${bind(userId)}`, 'consumed_at IS NULL'];
          if (purpose !== undefined) where.push(`purpose = ${bind(purpose)}`);
          return `UPDATE tenantry_tokens SET ${set}${whereAll(where)} RETURNING digest`;
        });
        return revoked.length;
      },
    },
    sessions: {
      async insert(session) {
        const into = { table: 'tenantry_sessions', columns: sessionColumns, values: rows.sessionValues, soon: true };
        await insertRows(sql, dialect, into, [session]);
      },
      async get(digest) {
        const [row] = await run(({ bind }) => `SELECT * FROM tenantry_sessions WHERE digest = ${bind(digest)}`);
        return row ? rows.sessionFrom(row) : null;
      },
      async touch(digest, lastSeenAt, expiresAt) {
        await run(
          ({ bind, date }) =>
            `UPDATE tenantry_sessions SET last_seen_at = ${date(lastSeenAt)}, expires_at = ${date(expiresAt)}
             WHERE digest = ${bind(digest)}`,
        );
      },
      async revoke(digest, at) {
        await run(
          ({ bind, date }) =>
            `UPDATE tenantry_sessions SET revoked_at = ${date(at)} WHERE digest = ${bind(digest)} AND revoked_at IS NULL`,
        );
      },
      async listLive(userId, at) {
        const found = await run(
          ({ bind, date }) =>
            `SELECT * FROM tenantry_sessions
             WHERE user_id = ${bind(userId)} AND revoked_at IS NULL AND expires_at > ${date(at)}
               AND absolute_expires_at > ${date(at)}
             ORDER BY last_seen_at DESC, ${dialect.bytewise('digest')}`,
        );
        return found.map(rows.sessionFrom);
      },
      async revokeForUser(userId, at, keepDigest) {
        const revoked = await run(({ bind, date }) => {
          const set = `revoked_at = ${date(at)}`;
          const where = [`user_id = ${bind(userId)}`, 'revoked_at IS NULL'];
          where.push(`expires_at > ${date(at)}`, `absolute_expires_at > ${date(at)}`);
          if (keepDigest !== undefined) where.push(`digest <> ${bind(keepDigest)}`);
          return `UPDATE tenantry_sessions SET ${set}${whereAll(where)} RETURNING digest`;
        });
        return revoked.length;
      },
    },
  };
}
