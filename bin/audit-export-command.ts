import { TenantryError } from '../src/index.js';
import { exitCodes, UsageError } from './errors.js';
import { checkConnection, userManagementFor } from './installation.js';
import type { Output } from './terminal.js';

/** The options of `tenantry audit export`, as read from the command line. */
export interface AuditExportOptions {
  /** What to do with the trail: `export`, the only action there is. */
  subcommand: string;
  organizationId: string;
  action?: string | undefined;
  targetId?: string | undefined;
  after?: string | undefined;
  before?: string | undefined;
  databaseUrl?: string | undefined;
  schema?: string | undefined;
  config?: string | undefined;
}

/** Checks the combinations of options that `parseArgs` cannot. */
function checkOptions(options: AuditExportOptions): void {
  if (options.subcommand !== 'export') {
    throw new UsageError(`unknown audit command '${options.subcommand}': use 'tenantry audit export'`, 'audit');
  }
  checkConnection(options, 'audit');
}

/** Writes a chunk, waiting while the reader is behind; false once stdout is gone (`| head`). */
async function write(stdout: NodeJS.WritableStream, chunk: Uint8Array): Promise<boolean> {
  if ((stdout as { destroyed?: boolean }).destroyed) return false;
  if (stdout.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = () => {
      stdout.off('drain', done);
      stdout.off('close', done);
      stdout.off('error', done);
      resolve();
    };
    stdout.on('drain', done);
    stdout.on('close', done);
    stdout.on('error', done);
  });
  return !(stdout as { destroyed?: boolean }).destroyed;
}

/**
 * `tenantry audit export`: writes an organization's audit trail to stdout as
 * NDJSON, newest first, as the operator (recorded as `audit.exported`),
 * reading a page at a time as stdout takes it. Returns 0; a refusal or a
 * failure mid-way is thrown, after the lines already written.
 */
export async function auditExportCommand(options: AuditExportOptions, output: Output): Promise<number> {
  checkOptions(options);
  const { um, close } = await userManagementFor(options, 'audit');
  try {
    const query = {
      organizationId: options.organizationId,
      ...(options.action === undefined ? {} : { action: options.action }),
      ...(options.targetId === undefined ? {} : { targetId: options.targetId }),
      ...(options.after === undefined ? {} : { after: options.after }),
      ...(options.before === undefined ? {} : { before: options.before }),
    };
    const trail = await um
      .as({ type: 'operator' })
      .audit.export(query)
      .catch((error: unknown) => {
        const refusal = error as { name?: unknown; code?: unknown } | null;
        if (refusal?.name === 'TenantryError' && refusal.code === 'NOT_FOUND') {
          const message = `No organization with the id ${options.organizationId}`;
          throw new TenantryError('NOT_FOUND', message, {}, { cause: error });
        }
        throw error;
      });
    const reader = trail.stream().getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        if (!(await write(output.stdout, next.value))) break;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return exitCodes.ok;
  } finally {
    await close();
  }
}
