import { openDatabase } from './database.js';
import { exitCodes } from './errors.js';
import type { Output } from './terminal.js';

/**
 * `tenantry migrate`: applies the migrations a database lacks (creating a
 * SQLite file if there is none) and prints the versions applied, or that the
 * database was already up to date.
 */
export async function migrateCommand(
  options: { databaseUrl: string; schema?: string | undefined },
  output: Output,
): Promise<number> {
  const database = await openDatabase(options.databaseUrl, {
    schema: options.schema,
    create: true,
    command: 'migrate',
  });
  try {
    const applied = await database.storage.migrate();
    output.stdout.write(
      applied.length === 0
        ? `${database.description}: already up to date\n`
        : `${database.description}: applied migration${applied.length === 1 ? '' : 's'} ${applied.join(', ')}\n`,
    );
    return exitCodes.ok;
  } finally {
    await database.close();
  }
}
