import type { WebAuthnChallengeRepository } from '../../src/adapter-kit/index.js';
import { insertRows, querying, type SqlDialect, type SqlExecutor } from './dialect.js';
import { webauthnChallengeColumns } from './factor-rows.js';

/**
 * WebAuthn challenges over SQL, in the given dialect (migration 8 on
 * PostgreSQL, 6 on SQLite), keyed by digest. Consuming one is one
 * `UPDATE … WHERE consumed_at IS NULL AND expires_at > … RETURNING`: of
 * concurrent ceremonies answering one challenge, exactly one consumes it.
 */
export function webauthnChallengeRepository(sql: SqlExecutor, dialect: SqlDialect): WebAuthnChallengeRepository {
  const { rows } = dialect;
  const run = querying(sql, dialect);
  const into = {
    table: 'tenantry_webauthn_challenges',
    columns: webauthnChallengeColumns,
    values: rows.webauthnChallengeValues,
  };

  return {
    async insert(challenge) {
      await insertRows(sql, dialect, into, [challenge]);
    },

    async get(digest) {
      const [row] = await run(
        ({ bind }) =>
          `SELECT ${webauthnChallengeColumns} FROM tenantry_webauthn_challenges WHERE digest = ${bind(digest)}`,
      );
      return row ? rows.webauthnChallengeFrom(row) : null;
    },

    async consume(digest, at) {
      const consumed = await run(
        ({ bind, date }) =>
          `UPDATE tenantry_webauthn_challenges SET consumed_at = ${date(at)}
           WHERE digest = ${bind(digest)} AND consumed_at IS NULL AND expires_at > ${date(at)} RETURNING digest`,
      );
      return consumed.length === 1;
    },
  };
}
