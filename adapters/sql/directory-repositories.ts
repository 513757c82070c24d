import {
  type CustomRoleRepository,
  emailKey,
  emailTakenError,
  type OrganizationRepository,
  roleTakenError,
  type User,
  type UserRepository,
} from '../../src/adapter-kit/index.js';
import {
  insertRows,
  Parameters,
  type SqlDialect,
  type SqlExecutor,
  translatingDuplicate,
  updateByKey,
  whereAll,
  writeSoon,
} from './dialect.js';
import { organizationColumns } from './row-mapping.js';
import { cursorPosition, userQuerySql } from './user-query.js';
import { userColumns, userWriteColumns } from './user-row.js';

/** The error of a batch whose address is taken: the address when the batch had one user. */
const emailTakenIn = (batch: readonly User[]) =>
  emailTakenError(batch.length === 1 ? (batch[0] as User).email : 'one of the addresses');

/** Organizations, users and custom roles over SQL, in the given dialect. */
export function directoryRepositories(
  sql: SqlExecutor,
  dialect: SqlDialect,
): { organizations: OrganizationRepository; users: UserRepository; roles: CustomRoleRepository } {
  const { rows, codec } = dialect;
  const lock = (options?: { forUpdate?: boolean }) => (options?.forUpdate ? dialect.lockRows : '');
  const users = { table: 'tenantry_users', columns: userWriteColumns, values: rows.userValues };
  const selectUsers = async (condition: (params: Parameters) => string) => {
    const params = new Parameters(dialect);
    const where = condition(params);
    return (await sql.query(`SELECT ${userColumns} FROM tenantry_users WHERE ${where}`, params.values)).map(
      rows.userFrom,
    );
  };
  return {
    organizations: {
      async get(id, options) {
        const [row] = await sql.query(
          `SELECT ${organizationColumns} FROM tenantry_organizations WHERE id = ${dialect.placeholder(1)}${lock(options)}`,
          [id],
        );
        return row ? rows.organizationFrom(row) : null;
      },
      async list(filter) {
        const { bind, values } = new Parameters(dialect);
        const where: string[] = [];
        if (filter.parentId !== undefined) where.push(`parent_id = ${bind(filter.parentId)}`);
        if (filter.partnerId !== undefined) where.push(`partner_id = ${bind(filter.partnerId)}`);
        const found = await sql.query(
          `SELECT ${organizationColumns} FROM tenantry_organizations${whereAll(where)}
           ORDER BY created_at, ${dialect.bytewise('id')}`,
          values,
        );
        return found.map(rows.organizationFrom);
      },
      async insert(organization) {
        const into = { table: 'tenantry_organizations', columns: organizationColumns, values: rows.organizationValues };
        await insertRows(sql, dialect, into, [organization]);
      },
      async update(organization) {
        const { text, params } = updateByKey(
          dialect,
          'tenantry_organizations',
          organizationColumns,
          rows.organizationValues(organization),
        );
        await sql.query(text, params);
      },
    },
    users: {
      async get(id, options) {
        const [user] = await selectUsers(({ bind }) => `id = ${bind(id)}${lock(options)}`);
        return user ?? null;
      },
      async getByEmail(email) {
        const [user] = await selectUsers(({ bind }) => `email_key = ${bind(emailKey(email))}`);
        return user ?? null;
      },
      getMany: (ids) => selectUsers(({ list }) => dialect.isAnyOf('id', list([...new Set(ids)]))),
      getByEmails: (emails) =>
        selectUsers(({ list }) => dialect.isAnyOf('email_key', list([...new Set(emails.map(emailKey))]))),
      insertMany: (batch) =>
        insertRows(sql, dialect, users, batch, { constraint: 'unique-index', error: emailTakenIn }),
      insert: (user) =>
        insertRows(sql, dialect, { ...users, soon: true }, [user], { constraint: 'unique-index', error: emailTakenIn }),
      async update(user) {
        const { text, params } = updateByKey(dialect, 'tenantry_users', userWriteColumns, rows.userValues(user));
        const translate = (error: unknown) =>
          dialect.violates(error, 'unique-index') ? emailTakenError(user.email) : undefined;
        await writeSoon(sql, { text, params, table: 'tenantry_users', translate, key: user.id });
      },
      async withAnyGrant(organizationId, { permissions, roles }) {
        const { bind, list, values } = new Parameters(dialect);
        const found = await sql.query(
          `SELECT ${userColumns} FROM tenantry_users
           WHERE organization_id = ${bind(organizationId)} AND erased_at IS NULL
             AND (${dialect.overlaps('permissions', list(permissions))} OR ${dialect.overlaps('roles', list(roles))})
           ORDER BY created_at, ${dialect.bytewise('id')}`,
          values,
        );
        return found.map(rows.userFrom);
      },
      async query(query) {
        const before = new Parameters(dialect);
        const startText = dialect.searchStart?.(query, before, cursorPosition(dialect, query, before));
        const start = startText === undefined ? undefined : ((await sql.query(startText, before.values))[0] ?? null);
        const { text, params } = userQuerySql(dialect, query, userColumns, start);
        return (await sql.query(text, params)).map(rows.userFrom);
      },
    },
    roles: {
      async list(organizationId) {
        const found = await sql.query(
          `SELECT * FROM tenantry_custom_roles WHERE organization_id = ${dialect.placeholder(1)} ORDER BY ${dialect.bytewise('key')}`,
          [organizationId],
        );
        return found.map(rows.customRoleFrom);
      },
      async get(organizationId, key) {
        const { bind, values } = new Parameters(dialect);
        const [row] = await sql.query(
          `SELECT * FROM tenantry_custom_roles WHERE organization_id = ${bind(organizationId)} AND key = ${bind(key)}`,
          values,
        );
        return row ? rows.customRoleFrom(row) : null;
      },
      async insert(role) {
        const { tuple, values } = new Parameters(dialect);
        const row = tuple([
          role.organizationId,
          role.key,
          role.label,
          codec.writeList(role.permissions),
          codec.writeDate(role.createdAt),
        ]);
        await translatingDuplicate(
          dialect,
          sql.query(
            `INSERT INTO tenantry_custom_roles (organization_id, key, label, permissions, created_at) VALUES ${row}`,
            values,
          ),
          'primary-key',
          () => roleTakenError(role.key),
        );
      },
      async delete(organizationId, key) {
        const { bind, values } = new Parameters(dialect);
        await sql.query(
          `DELETE FROM tenantry_custom_roles WHERE organization_id = ${bind(organizationId)} AND key = ${bind(key)}`,
          values,
        );
      },
    },
  };
}
