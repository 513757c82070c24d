import type { RecoveryCode, RecoveryCodeRepository } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor } from './dialect.js';

/** The columns of `tenantry_recovery_codes`; its primary key is `(user_id, digest)`. */
export const recoveryCodeColumns = 'user_id, digest, created_at, used_at';

/**
 * Users' recovery codes over SQL, in the given dialect (migration 8 on
 * PostgreSQL, 6 on SQLite). Every statement names the user, so each is one
 * range of the primary key `(user_id, digest)`. Redeeming a code is one
 * `UPDATE … WHERE used_at IS NULL RETURNING`: of concurrent redemptions of
 * one code, exactly one finds it unused and marks it.
 */
export function recoveryCodeRepository(sql: SqlExecutor, dialect: SqlDialect): RecoveryCodeRepository {
  const { codec } = dialect;
  const run = querying(sql, dialect);
  const removeForUser = async (userId: string) => {
    await run(({ bind }) => `DELETE FROM tenantry_recovery_codes WHERE user_id = ${bind(userId)}`);
  };

  return {
    async replace(userId, digests, at) {
      await removeForUser(userId);
      const codes = [...new Set(digests)].map(
        (digest): RecoveryCode => ({ userId, digest, createdAt: at, usedAt: null }),
      );
      const values = (code: RecoveryCode) => [code.userId, code.digest, codec.writeDate(code.createdAt), null];
      await insertRows(sql, dialect, { table: 'tenantry_recovery_codes', columns: recoveryCodeColumns, values }, codes);
    },

    async use(userId, digest, at) {
      const used = await run(
        ({ bind, date }) =>
          `UPDATE tenantry_recovery_codes SET used_at = ${date(at)}
           WHERE user_id = ${bind(userId)} AND digest = ${bind(digest)} AND used_at IS NULL RETURNING digest`,
      );
      return used.length === 1;
    },

    async countUnused(userId) {
      const [row] = await run(
        ({ bind }) =>
          `SELECT count(*) AS count FROM tenantry_recovery_codes WHERE user_id = ${bind(userId)} AND used_at IS NULL`,
      );
      return Number(row?.count ?? 0);
    },

    removeForUser,
  };
}
