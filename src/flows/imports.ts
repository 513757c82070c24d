import { z } from 'zod';
import { emailKey, normalizeEmail } from '../email.js';
import { TenantryError } from '../errors.js';
import type { ImportRow, ImportSource } from '../import/read-csv.js';
import { checkImportSource, readImportFile } from '../import/read-csv.js';
import { deliver, type PendingMail } from '../mail/delivery.js';
import { newId } from '../random.js';
import { idSchema } from '../schemas/common.js';
import { parseInput } from '../schemas/parse.js';
import type { Actor, ImportException, ImportReport, Organization } from '../types.js';
import type { FlowContext } from './context.js';
import { importBatch, reportedCell } from './import-batch.js';
import { act, notFound, type Unit } from './unit.js';

/** Rows written per transaction: one round trip for the users of a batch. */
export const IMPORT_BATCH_ROWS = 500;

/** The options of `imports.run` besides the file and the progress callback. */
export const importRunSchema = z.strictObject({
  organizationId: idSchema,
  mode: z.enum(['skip', 'update']).default('skip'),
  dryRun: z.boolean().default(false),
  invite: z.boolean().default(false),
});

/** Input of `imports.run`. */
export type ImportRunInput = z.input<typeof importRunSchema> & {
  csv: ImportSource;
  /** Called as batches finish, and at least once at the end. */
  onProgress?: (progress: { processed: number; total?: number }) => void;
};

/** Later rows with an address an earlier row already has become exceptions; the first one stands. */
function withoutRepeats(rows: readonly ImportRow[]): { rows: ImportRow[]; exceptions: ImportException[] } {
  const first = new Map<string, number>();
  const exceptions: ImportException[] = [];
  const kept = rows.filter((row) => {
    const email = normalizeEmail(row.values.email ?? '');
    if (email === null) return true;
    const earlier = first.get(emailKey(email));
    if (earlier === undefined) {
      first.set(emailKey(email), row.row);
      return true;
    }
    const message = `email: the address is already on row ${earlier}`;
    exceptions.push({ row: row.row, email: reportedCell(row), code: 'VALIDATION_FAILED', message });
    return false;
  });
  return { rows: kept, exceptions };
}

/**
 * `imports.run`: reads the whole file first (a file that is not CSV, is empty,
 * has an unknown header or is over the policy's limits imports nothing), then
 * checks and writes it in batches of {@link IMPORT_BATCH_ROWS} rows, one
 * transaction each. Every row that breaks a rule becomes an exception while
 * the others go in. The report is kept as history and mailed to the user who
 * ran it; invitations go out after their batch commits.
 */
export async function runImport(context: FlowContext, actor: Actor, input: ImportRunInput): Promise<ImportReport> {
  const { csv, onProgress, ...rest } = (input ?? {}) as ImportRunInput;
  const options = parseInput(importRunSchema, rest);
  checkImportSource(csv);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TenantryError('VALIDATION_FAILED', 'onProgress must be a function');
  }
  const authorize = (unit: Unit) => unit.organizationFor(options.organizationId, 'administer');
  await act(context, actor, authorize);
  const file = await readImportFile(csv, context.policy.import);
  const { rows, exceptions } = withoutRepeats(file.rows);
  const report: ImportReport = {
    id: newId('imp'),
    organizationId: options.organizationId,
    requestedBy: actor,
    status: 'running',
    mode: options.mode,
    dryRun: options.dryRun,
    total: file.rows.length,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    exceptions,
    startedAt: context.clock.now(),
    finishedAt: null,
  };
  const mails: PendingMail[] = [];
  try {
    for (let start = 0; start < rows.length; start += IMPORT_BATCH_ROWS) {
      const batch = rows.slice(start, start + IMPORT_BATCH_ROWS);
      const { result } = await act(context, actor, async (unit) => {
        const organization = await unit.organizationFor(options.organizationId, 'administer', { forUpdate: true });
        return importBatch(unit, batch, { ...options, importId: report.id, organization });
      });
      report.created += result.created;
      report.updated += result.updated;
      report.skipped += result.skipped;
      report.exceptions.push(...result.exceptions);
      mails.push(...result.mails);
      // Rows repeating an earlier address count as processed from the start, so `total` is the file's row count.
      const processed = file.rows.length - rows.length + Math.min(start + IMPORT_BATCH_ROWS, rows.length);
      onProgress?.({ processed, total: file.rows.length });
    }
    report.status = 'finished';
  } catch (error) {
    report.status = 'failed';
    throw error;
  } finally {
    report.exceptions.sort((a, b) => a.row - b.row);
    report.failed = report.exceptions.length;
    // A report keeps the first exceptions in full; the rest are only counted in `failed`.
    report.exceptions.length = Math.min(report.exceptions.length, context.policy.import.maxExceptions);
    report.finishedAt = context.clock.now();
    // After a failed batch the report is kept if storage allows; the batch's error is what the caller gets.
    const kept = act(context, actor, (unit) => keepReport(unit, report));
    const notice = (report.status === 'failed' ? await kept.catch(() => null) : await kept)?.result ?? null;
    if (rows.length === 0) onProgress?.({ processed: file.rows.length, total: file.rows.length });
    for (const mail of notice ? [...mails, notice] : mails) await deliver(context, mail);
  }
  return report;
}

/** Stores the report with its audit event; the `import-finished` mail for the user who ran it. */
async function keepReport(unit: Unit, report: ImportReport): Promise<PendingMail | null> {
  await unit.tx.imports.insert(report);
  const { id, status, dryRun, created, updated, skipped, failed } = report;
  unit.record('import.finished', {
    organizationId: report.organizationId,
    targetId: id,
    metadata: { status, dryRun, created, updated, skipped, failed },
  });
  const { requestedBy } = report;
  if (requestedBy.type !== 'user') return null;
  const user = await unit.tx.users.get(requestedBy.userId);
  const organization = await unit.tx.organizations.get(report.organizationId);
  if (!user || !organization || user.erasedAt !== null) return null;
  return { kind: 'import-finished', user, organization, summary: { dryRun, created, updated, skipped, failed } };
}

/** `imports.list`: an organization's import history, newest first. */
export async function listImports(unit: Unit, organizationId: unknown): Promise<ImportReport[]> {
  const organization: Organization = await unit.organizationFor(parseInput(idSchema, organizationId), 'administer');
  return unit.tx.imports.list(organization.id, 100);
}

/** `imports.get`: one report, to those who administer its organization. */
export async function getImport(unit: Unit, id: unknown): Promise<ImportReport> {
  const report = await unit.tx.imports.get(parseInput(idSchema, id));
  if (!report) throw notFound();
  await unit.organizationFor(report.organizationId, 'administer');
  return report;
}
