import { type Mailer, UserManagement } from '../src/index.js';
import { loadConfig } from './config-module.js';
import { openDatabase } from './database.js';
import { UsageError } from './errors.js';

/** How a command reaches the installation: a database URL (and schema), or the application's config module. */
export interface ConnectionOptions {
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  config?: string | undefined;
}

/** Without a config module nothing may be mailed: commands that could mail refuse before this is ever used. */
const noMailer: Mailer = {
  send: async () => {
    throw new Error('no mailer is configured');
  },
};

/** Checks that exactly one of `--database-url` and `--config` is given, and `--schema` only with the first. */
export function checkConnection(options: ConnectionOptions, command: string): void {
  if ((options.databaseUrl === undefined) === (options.config === undefined)) {
    throw new UsageError('give either --database-url or --config (one of them)', command);
  }
  if (options.schema !== undefined && options.databaseUrl === undefined) {
    throw new UsageError('--schema goes with --database-url', command);
  }
}

/**
 * The application's `UserManagement` (from `--config`, with its catalog and
 * policy), or one on the database with the built-in catalog and the default policy.
 */
export async function userManagementFor(
  options: ConnectionOptions,
  command: string,
): Promise<{ um: UserManagement; close(): Promise<void> }> {
  if (options.config !== undefined) {
    const { userManagement, close } = await loadConfig(options.config);
    return { um: userManagement, close };
  }
  const database = await openDatabase(options.databaseUrl as string, {
    schema: options.schema,
    create: false,
    command,
  });
  return { um: new UserManagement({ storage: database.storage, mailer: noMailer }), close: database.close };
}
