import type { SqlDatabase, SqlExecutor } from './executor.js';

const tableNames =
  /\btenantry_(organizations|users|custom_roles|audit_events|imports|credentials|tokens|sessions|rate_limits|outbox|resource_grants|resource_grants_holders|factors|recovery_codes|webauthn_challenges|domains|sso_connections|sso_logins|sso_assertions|sso_identities|search_revisions|search_builds|search_blocks|migrations)\b/g;
const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name: lower-case letters, digits and `_`, as PostgreSQL folds unquoted names. */
export function checkSchemaName(schema: string): string {
  if (!identifier.test(schema)) {
    throw new TypeError(`Invalid schema name "${schema}": use lower-case letters, digits and _ (at most 63)`);
  }
  return schema;
}

/**
 * An executor whose statements name tenantry's tables in `schema`. The SQL is
 * written once with bare `tenantry_*` table names; this qualifies them, and the
 * statistics object of migration 7, which PostgreSQL creates in the current
 * schema rather than its table's (index names, which share the prefix but not
 * the whole word, stay as they are: an index lives in its table's schema).
 */
export function inSchema(db: SqlDatabase, schema: string): SqlDatabase {
  const rewritten = new Map<string, string>();
  const qualify = (text: string) => {
    let result = rewritten.get(text);
    if (result === undefined) {
      result = text.replace(tableNames, `"${schema}".tenantry_$1`);
      if (rewritten.size < 1000) rewritten.set(text, result);
    }
    return result;
  };
  const wrap = (executor: SqlExecutor): SqlExecutor => {
    const { defer, lockLater } = executor;
    return {
      query: (text, params, options) => executor.query(qualify(text), params, options),
      ...(defer ? { defer: (write) => defer({ ...write, text: qualify(write.text) }) } : {}),
      ...(lockLater
        ? {
            lockLater: () => {
              const later = lockLater();
              return later && ((held) => later({ ...held, lock: { ...held.lock, text: qualify(held.lock.text) } }));
            },
          }
        : {}),
    };
  };
  return {
    ...wrap(db),
    transaction: (work, options) => db.transaction((tx) => work(wrap(tx)), options),
  };
}
