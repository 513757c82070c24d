import { existsSync } from 'node:fs';
import { type PostgresStorage, postgresStorage } from '../adapters/postgres/index.js';
import { type SqliteStorage, sqliteStorage } from '../adapters/sqlite/index.js';
import { CliError, UsageError } from './errors.js';

/** Where a database URL points: a PostgreSQL server or a SQLite file. */
export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

/** An open database: its storage, a description safe to print (no password) and how to let it go. */
export interface OpenDatabase {
  storage: PostgresStorage | SqliteStorage;
  description: string;
  /** Ends the pool or closes the file, so the process can end on its own. */
  close(): Promise<void>;
}

const sqliteExtensions = /\.(db|sqlite|sqlite3)$/i;

/**
 * Reads a database URL: `postgres://` and `postgresql://` name a server;
 * `sqlite:PATH` (also `sqlite://PATH`) or a path ending in `.db`, `.sqlite`
 * or `.sqlite3` a SQLite file. Anything else is a {@link UsageError}.
 */
export function databaseTarget(url: string, command?: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', url };
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new UsageError('sqlite: needs a file path, e.g. sqlite:./portal.db', command);
    return { kind: 'sqlite', path };
  }
  if (sqliteExtensions.test(url) && !url.includes('://')) return { kind: 'sqlite', path: url };
  throw new UsageError(
    `cannot tell the database from '${withoutPassword(url)}': use postgres://…, postgresql://…, sqlite:PATH or a .db, .sqlite or .sqlite3 file`,
    command,
  );
}

/** The URL without its password, to print. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/** Loads an optional driver, or explains which package to install. */
async function driver<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) {
      throw new CliError(`${purpose} needs the '${name}' package, which is not installed: npm install ${name}`);
    }
    throw error;
  }
}

async function openPostgres(url: string, schema: string | undefined, command?: string): Promise<OpenDatabase> {
  const pg = await driver('pg', 'PostgreSQL', () => import('pg'));
  const { Pool } = pg.default ?? pg;
  const pool = new Pool({ connectionString: url, max: 4 });
  // An idle connection the server drops must not crash the tool; the next query reports it.
  pool.on('error', () => undefined);
  let storage: PostgresStorage;
  try {
    storage = postgresStorage(schema === undefined ? { client: pool } : { client: pool, schema });
  } catch (error) {
    await pool.end();
    throw error instanceof TypeError ? new UsageError(error.message, command) : error;
  }
  return {
    storage,
    description: `${withoutPassword(url)}${schema === undefined ? '' : ` (schema ${schema})`}`,
    close: () => pool.end(),
  };
}

async function openSqlite(path: string, create: boolean): Promise<OpenDatabase> {
  const sqlite = await driver('better-sqlite3', 'SQLite', () => import('better-sqlite3'));
  const Database = sqlite.default;
  if (!create && path !== ':memory:' && !existsSync(path)) {
    throw new CliError(`no SQLite database at ${path} (run 'tenantry migrate' to create one)`);
  }
  const database = new Database(path);
  try {
    return {
      storage: sqliteStorage({ database }),
      description: path,
      close: async () => {
        database.close();
      },
    };
  } catch (error) {
    database.close();
    throw error;
  }
}

/**
 * Opens the database a URL names, loading its driver (`pg` or
 * `better-sqlite3`) only now: both are optional, and a missing one is
 * explained. `schema` is for PostgreSQL only; `create` lets SQLite create a
 * missing file (for `migrate`), otherwise a missing file is an error.
 */
export async function openDatabase(
  url: string,
  options: { schema?: string | undefined; create: boolean; command?: string },
): Promise<OpenDatabase> {
  const target = databaseTarget(url, options.command);
  if (target.kind === 'postgres') return openPostgres(target.url, options.schema, options.command);
  if (options.schema !== undefined) throw new UsageError('--schema applies to PostgreSQL only', options.command);
  return openSqlite(target.path, options.create);
}
