import { emailTakenError, TenantryError } from '../../src/errors.js';
import type { CustomRoleRepository, OrganizationRepository, UserRepository } from '../../src/ports/storage.js';
import type { SqlExecutor } from './executor.js';
import {
  customRoleFrom,
  organizationColumns,
  organizationFrom,
  organizationValues,
  userColumns,
  userFrom,
  userValues,
  userWriteColumns,
} from './rows.js';
import { userQuerySql } from './user-query.js';

const placeholders = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => `$${offset + index + 1}`).join(', ');

/** Translates a unique violation into the error the core expects. */
async function uniquely<T>(work: Promise<T>, onDuplicate: () => TenantryError): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw onDuplicate();
    throw error;
  }
}

const emailTaken = (email: string) => () => emailTakenError(email);

/** Organizations, users and custom roles over SQL. */
export function directoryRepositories(sql: SqlExecutor): {
  organizations: OrganizationRepository;
  users: UserRepository;
  roles: CustomRoleRepository;
} {
  const organizationUpdate = organizationColumns
    .split(', ')
    .slice(1)
    .map((column, index) => `${column} = $${index + 2}`)
    .join(', ');
  const userUpdate = userWriteColumns
    .split(', ')
    .slice(1)
    .map((column, index) => `${column} = $${index + 2}`)
    .join(', ');
  return {
    organizations: {
      async get(id, options) {
        const lock = options?.forUpdate ? ' FOR UPDATE' : '';
        const rows = await sql.query(`SELECT ${organizationColumns} FROM tenantry_organizations WHERE id = $1${lock}`, [
          id,
        ]);
        return rows[0] ? organizationFrom(rows[0]) : null;
      },
      async list(filter) {
        const rows = await sql.query(
          `SELECT ${organizationColumns} FROM tenantry_organizations
           WHERE ($1::text IS NULL OR parent_id = $1) AND ($2::text IS NULL OR partner_id = $2)
           ORDER BY created_at, id COLLATE "C"`,
          [filter.parentId ?? null, filter.partnerId ?? null],
        );
        return rows.map(organizationFrom);
      },
      async insert(organization) {
        await sql.query(
          `INSERT INTO tenantry_organizations (${organizationColumns}) VALUES (${placeholders(12)})`,
          organizationValues(organization),
        );
      },
      async update(organization) {
        await sql.query(
          `UPDATE tenantry_organizations SET ${organizationUpdate} WHERE id = $1`,
          organizationValues(organization),
        );
      },
    },
    users: {
      async get(id, options) {
        const lock = options?.forUpdate ? ' FOR UPDATE' : '';
        const rows = await sql.query(`SELECT ${userColumns} FROM tenantry_users WHERE id = $1${lock}`, [id]);
        return rows[0] ? userFrom(rows[0]) : null;
      },
      async getByEmail(email) {
        const rows = await sql.query(`SELECT ${userColumns} FROM tenantry_users WHERE email_key = $1`, [
          email.toLowerCase(),
        ]);
        return rows[0] ? userFrom(rows[0]) : null;
      },
      async getMany(ids) {
        const rows = await sql.query(`SELECT ${userColumns} FROM tenantry_users WHERE id = ANY($1::text[])`, [
          [...new Set(ids)],
        ]);
        return rows.map(userFrom);
      },
      async getByEmails(emails) {
        const keys = [...new Set(emails.map((email) => email.toLowerCase()))];
        const rows = await sql.query(`SELECT ${userColumns} FROM tenantry_users WHERE email_key = ANY($1::text[])`, [
          keys,
        ]);
        return rows.map(userFrom);
      },
      async insertMany(users) {
        // One statement per thousand users: 27 parameters each stays far below PostgreSQL's 65,535.
        for (let start = 0; start < users.length; start += 1_000) {
          const batch = users.slice(start, start + 1_000);
          const rows = batch.map((_, row) => `(${placeholders(27, row * 27)})`).join(', ');
          await uniquely(
            sql.query(`INSERT INTO tenantry_users (${userWriteColumns}) VALUES ${rows}`, batch.flatMap(userValues)),
            emailTaken(batch.length === 1 ? (batch[0] as { email: string }).email : 'one of the addresses'),
          );
        }
      },
      insert: (user) =>
        uniquely(
          sql.query(`INSERT INTO tenantry_users (${userWriteColumns}) VALUES (${placeholders(27)})`, userValues(user)),
          emailTaken(user.email),
        ).then(() => undefined),
      update: (user) =>
        uniquely(
          sql.query(`UPDATE tenantry_users SET ${userUpdate} WHERE id = $1`, userValues(user)),
          emailTaken(user.email),
        ).then(() => undefined),
      async withAnyGrant(organizationId, { permissions, roles }) {
        const rows = await sql.query(
          `SELECT ${userColumns} FROM tenantry_users
           WHERE organization_id = $1 AND erased_at IS NULL AND (permissions && $2::text[] OR roles && $3::text[])
           ORDER BY created_at, id COLLATE "C"`,
          [organizationId, permissions, roles],
        );
        return rows.map(userFrom);
      },
      async query(query) {
        const { text, params } = userQuerySql(query, userColumns);
        return (await sql.query(text, params)).map(userFrom);
      },
    },
    roles: {
      async list(organizationId) {
        const rows = await sql.query(
          'SELECT * FROM tenantry_custom_roles WHERE organization_id = $1 ORDER BY key COLLATE "C"',
          [organizationId],
        );
        return rows.map(customRoleFrom);
      },
      async get(organizationId, key) {
        const rows = await sql.query('SELECT * FROM tenantry_custom_roles WHERE organization_id = $1 AND key = $2', [
          organizationId,
          key,
        ]);
        return rows[0] ? customRoleFrom(rows[0]) : null;
      },
      async insert(role) {
        await uniquely(
          sql.query(
            'INSERT INTO tenantry_custom_roles (organization_id, key, label, permissions, created_at) VALUES ($1, $2, $3, $4, $5)',
            [role.organizationId, role.key, role.label, role.permissions, role.createdAt],
          ),
          () => new TenantryError('CONFLICT', `A role "${role.key}" already exists`, { role: role.key }),
        );
      },
      async delete(organizationId, key) {
        await sql.query('DELETE FROM tenantry_custom_roles WHERE organization_id = $1 AND key = $2', [
          organizationId,
          key,
        ]);
      },
    },
  };
}
