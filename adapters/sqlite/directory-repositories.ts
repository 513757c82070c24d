import { emailTakenError, TenantryError } from '../../src/errors.js';
import type { CustomRoleRepository, OrganizationRepository, UserRepository } from '../../src/ports/storage.js';
import type { SqlExecutor } from './connection.js';
import {
  customRoleFrom,
  millis,
  organizationColumns,
  organizationFrom,
  organizationValues,
  updateValues,
  userColumns,
  userFrom,
  userValues,
  userWriteColumns,
  writes,
} from './rows.js';
import { holdsAny, userQuerySql } from './user-query.js';

/** Runs `work`, translating a violation of a unique index (by its SQLite error code) into the error the core expects. */
function uniquely<T>(work: () => T, code: string, onDuplicate: () => TenantryError): T {
  try {
    return work();
  } catch (error) {
    if ((error as { code?: unknown }).code === code) throw onDuplicate();
    throw error;
  }
}

const emailTaken = (email: string) => () => emailTakenError(email);

// `forUpdate` is not needed: every transaction holds the database's write lock from `BEGIN IMMEDIATE` on.

/** Organizations, users and custom roles over SQLite. */
export function directoryRepositories(sql: SqlExecutor): {
  organizations: OrganizationRepository;
  users: UserRepository;
  roles: CustomRoleRepository;
} {
  const organizationWrites = writes('tenantry_organizations', organizationColumns);
  const userWrites = writes('tenantry_users', userWriteColumns);
  return {
    organizations: {
      async get(id) {
        const [row] = sql.all(`SELECT ${organizationColumns} FROM tenantry_organizations WHERE id = ?`, [id]);
        return row ? organizationFrom(row) : null;
      },
      async list(filter) {
        const [parentId, partnerId] = [filter.parentId ?? null, filter.partnerId ?? null];
        const rows = sql.all(
          `SELECT ${organizationColumns} FROM tenantry_organizations
           WHERE (? IS NULL OR parent_id = ?) AND (? IS NULL OR partner_id = ?)
           ORDER BY created_at, id`,
          [parentId, parentId, partnerId, partnerId],
        );
        return rows.map(organizationFrom);
      },
      async insert(organization) {
        sql.run(organizationWrites.insert, organizationValues(organization));
      },
      async update(organization) {
        sql.run(organizationWrites.update, updateValues(organizationValues(organization)));
      },
    },
    users: {
      async get(id) {
        const [row] = sql.all(`SELECT ${userColumns} FROM tenantry_users WHERE id = ?`, [id]);
        return row ? userFrom(row) : null;
      },
      async getByEmail(email) {
        const [row] = sql.all(`SELECT ${userColumns} FROM tenantry_users WHERE email_key = ?`, [email.toLowerCase()]);
        return row ? userFrom(row) : null;
      },
      async getMany(ids) {
        const rows = sql.all(`SELECT ${userColumns} FROM tenantry_users WHERE id IN (SELECT value FROM json_each(?))`, [
          JSON.stringify([...new Set(ids)]),
        ]);
        return rows.map(userFrom);
      },
      async getByEmails(emails) {
        const keys = JSON.stringify([...new Set(emails.map((email) => email.toLowerCase()))]);
        const rows = sql.all(
          `SELECT ${userColumns} FROM tenantry_users WHERE email_key IN (SELECT value FROM json_each(?))`,
          [keys],
        );
        return rows.map(userFrom);
      },
      async insertMany(users) {
        // In process, a prepared statement per user is as fast as one long statement.
        for (const user of users) {
          uniquely(
            () => sql.run(userWrites.insert, userValues(user)),
            'SQLITE_CONSTRAINT_UNIQUE',
            emailTaken(user.email),
          );
        }
      },
      async insert(user) {
        uniquely(
          () => sql.run(userWrites.insert, userValues(user)),
          'SQLITE_CONSTRAINT_UNIQUE',
          emailTaken(user.email),
        );
      },
      async update(user) {
        uniquely(
          () => sql.run(userWrites.update, updateValues(userValues(user))),
          'SQLITE_CONSTRAINT_UNIQUE',
          emailTaken(user.email),
        );
      },
      async withAnyGrant(organizationId, { permissions, roles }) {
        const rows = sql.all(
          `SELECT ${userColumns} FROM tenantry_users
           WHERE organization_id = ? AND erased_at IS NULL AND (${holdsAny('permissions')} OR ${holdsAny('roles')})
           ORDER BY created_at, id`,
          [organizationId, JSON.stringify(permissions), JSON.stringify(roles)],
        );
        return rows.map(userFrom);
      },
      async query(query) {
        const { text, params } = userQuerySql(query, userColumns);
        return sql.all(text, params).map(userFrom);
      },
    },
    roles: {
      async list(organizationId) {
        const rows = sql.all('SELECT * FROM tenantry_custom_roles WHERE organization_id = ? ORDER BY key', [
          organizationId,
        ]);
        return rows.map(customRoleFrom);
      },
      async get(organizationId, key) {
        const [row] = sql.all('SELECT * FROM tenantry_custom_roles WHERE organization_id = ? AND key = ?', [
          organizationId,
          key,
        ]);
        return row ? customRoleFrom(row) : null;
      },
      async insert(role) {
        uniquely(
          () =>
            sql.run(
              'INSERT INTO tenantry_custom_roles (organization_id, key, label, permissions, created_at) VALUES (?, ?, ?, ?, ?)',
              [role.organizationId, role.key, role.label, JSON.stringify(role.permissions), millis(role.createdAt)],
            ),
          'SQLITE_CONSTRAINT_PRIMARYKEY',
          () => new TenantryError('CONFLICT', `A role "${role.key}" already exists`, { role: role.key }),
        );
      },
      async delete(organizationId, key) {
        sql.run('DELETE FROM tenantry_custom_roles WHERE organization_id = ? AND key = ?', [organizationId, key]);
      },
    },
  };
}
