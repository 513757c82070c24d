import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ImportReport, TenantryError, type UserManagement } from '../src/index.js';
import { CliError, exitCodes, UsageError } from './errors.js';
import { checkConnection, userManagementFor } from './installation.js';
import { cell, exceptionTable, type Output, progressReporter, summaryLines } from './terminal.js';

/** The options of `tenantry import`, as read from the command line. */
export interface ImportOptions {
  file: string;
  organizationId: string;
  mode: 'skip' | 'update';
  dryRun: boolean;
  invite: boolean;
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  config?: string | undefined;
}

/** Checks the combinations of options that `parseArgs` cannot. */
function checkOptions(options: ImportOptions): void {
  checkConnection(options, 'import');
  if (options.invite && options.config === undefined) {
    throw new UsageError(
      '--invite needs --config: with --database-url alone no mailer is configured to send invitations',
      'import',
    );
  }
}

/** Refuses a file that does not exist or is not a regular file, before any database is opened. */
async function checkFile(file: string): Promise<void> {
  const found = await stat(file).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'permission denied' : error.code;
    throw new CliError(`cannot read ${file}: ${reason ?? error.message}`);
  });
  if (!found.isFile()) throw new CliError(`cannot read ${file}: not a file`);
}

/** Runs the import, streaming the file; an error reading it is reported as such rather than as bad CSV. */
async function runImport(um: UserManagement, options: ImportOptions, output: Output): Promise<ImportReport> {
  const stream = createReadStream(options.file);
  let readError: Error | undefined;
  stream.on('error', (error) => {
    readError = error;
  });
  const progress = progressReporter(output.stderr, `Importing ${cell(basename(options.file), 60)}`);
  try {
    return await um.as({ type: 'operator' }).imports.run({
      organizationId: options.organizationId,
      csv: stream,
      mode: options.mode,
      dryRun: options.dryRun,
      invite: options.invite,
      onProgress: (step) => progress.update(step),
    });
  } catch (error) {
    if (readError) throw new CliError(`cannot read ${options.file}: ${readError.message}`);
    // Bad rows are exceptions in the report: the only thing `imports.run` cannot find is the organization.
    const refusal = error as { name?: unknown; code?: unknown } | null;
    if (refusal?.name === 'TenantryError' && refusal.code === 'NOT_FOUND') {
      const message = `No organization with the id ${options.organizationId}`;
      throw new TenantryError('NOT_FOUND', message, {}, { cause: error });
    }
    throw error;
  } finally {
    progress.finish();
    stream.destroy();
  }
}

/**
 * `tenantry import`: imports the users of a CSV file into an organization
 * as the operator, with progress on stderr, then prints the report's counts
 * and the rows that failed. Returns 0, or 2 when some rows failed.
 */
export async function importCommand(options: ImportOptions, output: Output): Promise<number> {
  checkOptions(options);
  await checkFile(options.file);
  const { um, close } = await userManagementFor(options, 'import');
  try {
    const report = await runImport(um, options, output);
    const table = exceptionTable(report.exceptions);
    output.stdout.write(`${[...summaryLines(report), ...(table.length > 0 ? ['', ...table] : [])].join('\n')}\n`);
    return report.failed > 0 ? exitCodes.rowsFailed : exitCodes.ok;
  } finally {
    await close();
  }
}
