import { type StorageTransaction, ssoIdentityLinkedError } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor, updateByKey } from './dialect.js';
import { domainRepository } from './domain-repository.js';
import { ssoConnectionColumns, ssoIdentityColumns, ssoLoginColumns, ssoRows } from './sso-rows.js';

/**
 * Domain claims and single sign-on over SQL, in the given dialect (migration
 * 9 on PostgreSQL, 7 on SQLite). Connections are listed by organization from
 * `tenantry_sso_connections_by_organization`, oldest first. A started login
 * is found by digest or, for SAML, by `tenantry_sso_logins_by_request`, and
 * consumed by one `UPDATE … WHERE consumed_at IS NULL AND expires_at > …
 * RETURNING`: of concurrent callbacks with one state, exactly one consumes
 * it. An assertion id is remembered by `INSERT … ON CONFLICT DO NOTHING
 * RETURNING` on the primary key (connection, assertion id): of processes
 * accepting one assertion at once, the first inserts it and the others, once
 * it commits, insert nothing. A link is keyed by connection and subject and
 * found by user from `tenantry_sso_identities_by_user`; removing a
 * connection deletes its links in the same transaction.
 */
export function ssoRepositories(
  sql: SqlExecutor,
  dialect: SqlDialect,
): Pick<StorageTransaction, 'domains' | 'ssoConnections' | 'ssoLogins' | 'ssoAssertions' | 'ssoIdentities'> {
  const rows = ssoRows(dialect.codec);
  const run = querying(sql, dialect);
  const connections = {
    table: 'tenantry_sso_connections',
    columns: ssoConnectionColumns,
    values: rows.ssoConnectionValues,
  };
  const logins = { table: 'tenantry_sso_logins', columns: ssoLoginColumns, values: rows.ssoLoginValues };
  const identities = { table: 'tenantry_sso_identities', columns: ssoIdentityColumns, values: rows.ssoIdentityValues };
  const oldestConnectionsFirst = `ORDER BY created_at, ${dialect.bytewise('id')}`;

  return {
    domains: domainRepository(sql, dialect),

    ssoConnections: {
      async insert(connection) {
        await insertRows(sql, dialect, connections, [connection]);
      },

      async get(id) {
        const [row] = await run(
          ({ bind }) => `SELECT ${ssoConnectionColumns} FROM tenantry_sso_connections WHERE id = ${bind(id)}`,
        );
        return row ? rows.ssoConnectionFrom(row) : null;
      },

      async forOrganization(organizationId) {
        const found = await run(
          ({ bind }) =>
            `SELECT ${ssoConnectionColumns} FROM tenantry_sso_connections
             WHERE organization_id = ${bind(organizationId)} ${oldestConnectionsFirst}`,
        );
        return found.map(rows.ssoConnectionFrom);
      },

      async enabledFor(organizationIds) {
        if (organizationIds.length === 0) return [];
        const found = await run(
          ({ bind, list }) =>
            `SELECT ${ssoConnectionColumns} FROM tenantry_sso_connections
             WHERE ${dialect.isAnyOf('organization_id', list([...new Set(organizationIds)]))}
             AND enabled = ${bind(dialect.codec.writeBoolean(true))} ${oldestConnectionsFirst}`,
        );
        return found.map(rows.ssoConnectionFrom);
      },

      async update(connection) {
        const { text, params } = updateByKey(
          dialect,
          'tenantry_sso_connections',
          ssoConnectionColumns,
          rows.ssoConnectionValues(connection),
        );
        await sql.query(text, params);
      },

      async remove(id) {
        await run(({ bind }) => `DELETE FROM tenantry_sso_identities WHERE connection_id = ${bind(id)}`);
        const removed = await run(
          ({ bind }) => `DELETE FROM tenantry_sso_connections WHERE id = ${bind(id)} RETURNING id`,
        );
        return removed.length === 1;
      },
    },

    ssoLogins: {
      async insert(login) {
        await insertRows(sql, dialect, logins, [login]);
      },

      async get(digest) {
        const [row] = await run(
          ({ bind }) => `SELECT ${ssoLoginColumns} FROM tenantry_sso_logins WHERE digest = ${bind(digest)}`,
        );
        return row ? rows.ssoLoginFrom(row) : null;
      },

      async byRequestId(requestId) {
        const [row] = await run(
          ({ bind }) =>
            `SELECT ${ssoLoginColumns} FROM tenantry_sso_logins WHERE request_id = ${bind(requestId)} LIMIT 1`,
        );
        return row ? rows.ssoLoginFrom(row) : null;
      },

      async consume(digest, at) {
        const consumed = await run(
          ({ bind, date }) =>
            `UPDATE tenantry_sso_logins SET consumed_at = ${date(at)}
             WHERE digest = ${bind(digest)} AND consumed_at IS NULL AND expires_at > ${date(at)} RETURNING digest`,
        );
        return consumed.length === 1;
      },
    },

    ssoAssertions: {
      async remember(connectionId, assertionId, expiresAt) {
        const recorded = await run(
          ({ bind, date }) =>
            `INSERT INTO tenantry_sso_assertions (connection_id, assertion_id, expires_at)
             VALUES (${bind(connectionId)}, ${bind(assertionId)}, ${date(expiresAt)})
             ON CONFLICT DO NOTHING RETURNING assertion_id`,
        );
        return recorded.length === 1;
      },
    },

    ssoIdentities: {
      async insert(identity) {
        // The primary key decides between two first sign-ins of one person.
        await insertRows(sql, dialect, identities, [identity], {
          constraint: 'primary-key',
          error: ssoIdentityLinkedError,
        });
      },

      async get(connectionId, subject) {
        const [row] = await run(
          ({ bind }) =>
            `SELECT ${ssoIdentityColumns} FROM tenantry_sso_identities
             WHERE connection_id = ${bind(connectionId)} AND subject = ${bind(subject)}`,
        );
        return row ? rows.ssoIdentityFrom(row) : null;
      },

      async touch(connectionId, subject, at) {
        await run(
          ({ bind, date }) =>
            `UPDATE tenantry_sso_identities SET last_sign_in_at = ${date(at)}
             WHERE connection_id = ${bind(connectionId)} AND subject = ${bind(subject)}`,
        );
      },

      async forUser(userId) {
        const found = await run(
          ({ bind }) =>
            `SELECT ${ssoIdentityColumns} FROM tenantry_sso_identities WHERE user_id = ${bind(userId)}
             ORDER BY created_at, ${dialect.bytewise('connection_id')}, ${dialect.bytewise('subject')}`,
        );
        return found.map(rows.ssoIdentityFrom);
      },

      async removeForUser(userId) {
        await run(({ bind }) => `DELETE FROM tenantry_sso_identities WHERE user_id = ${bind(userId)}`);
      },
    },
  };
}
