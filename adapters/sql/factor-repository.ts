import { type FactorRepository, passkeyTakenError } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor } from './dialect.js';
import { factorColumns } from './factor-rows.js';

/**
 * Users' second factors over SQL, in the given dialect (migration 8 on
 * PostgreSQL, 6 on SQLite). A user's factors are one range of
 * `tenantry_factors_by_user`, a passkey is found by the unique
 * `tenantry_factors_credential`. Confirming and using a factor are each one
 * `UPDATE … WHERE … RETURNING` whose condition is the check: of concurrent
 * transactions that try the same step, counter or confirmation, the row
 * lock lets the first one change it and the others find the condition no
 * longer true (PostgreSQL re-checks it on the row as committed), so exactly
 * one succeeds.
 */
export function factorRepository(sql: SqlExecutor, dialect: SqlDialect): FactorRepository {
  const { rows } = dialect;
  const run = querying(sql, dialect);
  const into = { table: 'tenantry_factors', columns: factorColumns, values: rows.factorValues };
  const changed = async (statement: Promise<unknown[]>) => (await statement).length === 1;

  return {
    async insert(factor) {
      // The unique credential id decides between two registrations of one authenticator.
      const onDuplicate =
        factor.credentialId === null ? undefined : { constraint: 'unique-index' as const, error: passkeyTakenError };
      await insertRows(sql, dialect, into, [factor], onDuplicate);
    },

    async get(id) {
      const [row] = await run(({ bind }) => `SELECT ${factorColumns} FROM tenantry_factors WHERE id = ${bind(id)}`);
      return row ? rows.factorFrom(row) : null;
    },

    async forUser(userId) {
      const found = await run(
        ({ bind }) =>
          `SELECT ${factorColumns} FROM tenantry_factors WHERE user_id = ${bind(userId)}
           ORDER BY created_at, ${dialect.bytewise('id')}`,
      );
      return found.map(rows.factorFrom);
    },

    async confirmedUsers(userIds) {
      if (userIds.length === 0) return new Set();
      const found = await run(
        ({ list }) =>
          `SELECT DISTINCT user_id FROM tenantry_factors
           WHERE ${dialect.isAnyOf('user_id', list([...new Set(userIds)]))} AND confirmed_at IS NOT NULL`,
      );
      return new Set(found.map((row) => String(row.user_id)));
    },

    async byCredentialId(credentialId) {
      const [row] = await run(
        ({ bind }) => `SELECT ${factorColumns} FROM tenantry_factors WHERE credential_id = ${bind(credentialId)}`,
      );
      return row ? rows.factorFrom(row) : null;
    },

    confirm: (id, at) =>
      changed(
        run(
          ({ bind, date }) =>
            `UPDATE tenantry_factors SET confirmed_at = ${date(at)}
             WHERE id = ${bind(id)} AND confirmed_at IS NULL RETURNING id`,
        ),
      ),

    useStep: (id, step, at) =>
      changed(
        run(
          ({ bind, date }) =>
            `UPDATE tenantry_factors SET last_step = ${bind(step)}, last_used_at = ${date(at)}
             WHERE id = ${bind(id)} AND (last_step IS NULL OR last_step < ${bind(step)}) RETURNING id`,
        ),
      ),

    useCounter: (id, counter, at) =>
      changed(
        run(({ bind, date }) => {
          // Bound in the order of the text: SQLite's placeholders are positional.
          const set = `counter = ${bind(counter)}, last_used_at = ${date(at)}`;
          const where = `id = ${bind(id)}`;
          // Greater than the stored counter; or 0 again where the authenticator keeps none (the stored one is 0 too).
          const accepted = counter === 0 ? 'counter = 0' : `counter < ${bind(counter)}`;
          return `UPDATE tenantry_factors SET ${set} WHERE ${where} AND ${accepted} RETURNING id`;
        }),
      ),

    async remove(userId, id) {
      return changed(
        run(
          ({ bind }) =>
            `DELETE FROM tenantry_factors WHERE id = ${bind(id)} AND user_id = ${bind(userId)} RETURNING id`,
        ),
      );
    },

    async removeForUser(userId) {
      const removed = await run(
        ({ bind }) => `DELETE FROM tenantry_factors WHERE user_id = ${bind(userId)} RETURNING confirmed_at`,
      );
      return removed.filter((row) => row.confirmed_at !== null && row.confirmed_at !== undefined).length;
    },
  };
}
