import { z } from 'zod';
import { emailKey, normalizeEmail } from '../../email.js';
import { TenantryError } from '../../errors.js';
import { importBatch, reportedCell } from '../../flows/import-batch.js';
import type { MailReceipt, Unit } from '../../flows/unit.js';
import { checkImportSource, type ImportRow, type ImportSource, readImportFile } from '../../import/read-csv.js';
import { newId } from '../../random.js';
import { idSchema } from '../../schemas/common.js';
import type { ImportException, ImportReport } from '../../types.js';
import { defineOperation } from '../operation.js';

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

/**
 * The file of an import and its progress callback, carried past the input
 * schema whole: the file's text is the rows' to judge (a bad cell is that
 * row's exception), not the input's.
 */
export class ImportUpload {
  constructor(
    readonly csv: unknown,
    readonly onProgress: unknown,
  ) {}
}

/** `imports.run`'s arguments as the operation takes them: the options, and the upload. */
export function importArguments(input: unknown): [unknown, ImportUpload] {
  if (typeof input !== 'object' || input === null) return [input, new ImportUpload(undefined, undefined)];
  const { csv, onProgress, ...options } = input as Record<string, unknown>;
  return [options, new ImportUpload(csv, onProgress)];
}

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
 * the others go in. The report is kept from the start and updated with each
 * batch (a run that dies leaves it `interrupted`, with the counts of what
 * committed); each batch's invitations are written to the outbox with it and
 * handed on while the next batch goes in. The user who ran it is mailed at
 * the end; the answer comes once every mail was handed to the mail server.
 */
export const runImport = defineOperation({
  name: 'imports.run',
  input: z.tuple([importRunSchema, z.instanceof(ImportUpload)]),
  async execute(steps, [options, upload]): Promise<ImportReport> {
    checkImportSource(upload.csv);
    const { onProgress } = upload;
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw new TenantryError('VALIDATION_FAILED', 'onProgress must be a function');
    }
    const progress = onProgress as ImportRunInput['onProgress'];
    const { context } = steps;
    await steps.transact((unit) => unit.organizationFor(options.organizationId, 'administer'));
    const file = await readImportFile(upload.csv, context.policy.import, context);
    const { rows, exceptions } = withoutRepeats(file.rows);
    const startedAt = context.clock.now();
    const ledger = new ImportLedger(context.policy.import.maxExceptions, exceptions, {
      id: newId('imp'),
      organizationId: options.organizationId,
      requestedBy: steps.actor,
      status: 'running',
      mode: options.mode,
      dryRun: options.dryRun,
      total: file.rows.length,
      created: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
      exceptions: [],
      startedAt,
      updatedAt: startedAt,
      finishedAt: null,
    });
    await steps.transact((unit) => unit.tx.imports.insert(ledger.report(unit.now)));
    const mails: MailReceipt[] = [];
    try {
      for (let start = 0; start < rows.length; start += IMPORT_BATCH_ROWS) {
        const batch = rows.slice(start, start + IMPORT_BATCH_ROWS);
        const outcome = await steps.transact(async (unit) => {
          const organization = await unit.organizationFor(options.organizationId, 'administer', { forUpdate: true });
          const done = await importBatch(unit, batch, {
            ...options,
            importId: ledger.id,
            organization,
            columns: file.columns,
          });
          await unit.tx.imports.update(ledger.with(done).report(unit.now));
          return done;
        });
        ledger.add(outcome);
        mails.push(...outcome.mails);
        // Rows repeating an earlier address count as processed from the start, so `total` is the file's row count.
        const processed = file.rows.length - rows.length + Math.min(start + IMPORT_BATCH_ROWS, rows.length);
        progress?.({ processed, total: file.rows.length });
      }
      ledger.status = 'finished';
    } catch (error) {
      ledger.status = 'failed';
      throw error;
    } finally {
      // After a failed batch the report is finished if storage allows; the batch's error is what the caller gets.
      const finished = steps.transact((unit) => finish(unit, ledger.report(unit.now, true)));
      const notice = ledger.status === 'failed' ? await finished.catch(() => null) : await finished;
      if (rows.length === 0) progress?.({ processed: file.rows.length, total: file.rows.length });
      await Promise.all([...mails, ...(notice ? [notice] : [])].map((mail) => mail.delivered));
    }
    return ledger.report(ledger.finishedAt ?? startedAt, true);
  },
});

/** Writes the finished report with its audit event; mails it to the user who ran it. */
async function finish(unit: Unit, report: ImportReport): Promise<MailReceipt | null> {
  await unit.tx.imports.update(report);
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
  return unit.send({
    kind: 'import-finished',
    user,
    organization,
    summary: { dryRun, created, updated, skipped, failed },
  });
}

/**
 * The counts of a run as its batches commit, and the report they make: the
 * exceptions in row order, the first `maxExceptions` of them kept in full,
 * every one counted in `failed`.
 */
class ImportLedger {
  status: ImportReport['status'] = 'running';
  finishedAt: Date | null = null;
  readonly #base: ImportReport;
  readonly #maxExceptions: number;
  readonly #counts = { created: 0, updated: 0, skipped: 0 };
  readonly #exceptions: ImportException[];

  constructor(maxExceptions: number, exceptions: ImportException[], base: ImportReport) {
    this.#maxExceptions = maxExceptions;
    this.#exceptions = [...exceptions];
    this.#base = base;
  }

  get id(): string {
    return this.#base.id;
  }

  /** The ledger as it will be once `outcome` commits (for the report written with it). */
  with(outcome: { created: number; updated: number; skipped: number; exceptions: ImportException[] }): ImportLedger {
    const next = new ImportLedger(this.#maxExceptions, this.#exceptions, this.#base);
    Object.assign(next.#counts, this.#counts);
    next.add(outcome);
    return next;
  }

  add(outcome: { created: number; updated: number; skipped: number; exceptions: ImportException[] }): void {
    this.#counts.created += outcome.created;
    this.#counts.updated += outcome.updated;
    this.#counts.skipped += outcome.skipped;
    this.#exceptions.push(...outcome.exceptions);
  }

  /** The report at `now`; `final` closes it with the ledger's status. */
  report(now: Date, final = false): ImportReport {
    if (final && this.finishedAt === null) this.finishedAt = now;
    const exceptions = [...this.#exceptions].sort((a, b) => a.row - b.row).slice(0, this.#maxExceptions);
    return {
      ...this.#base,
      ...this.#counts,
      status: final ? this.status : 'running',
      failed: this.#exceptions.length,
      exceptions,
      updatedAt: now,
      finishedAt: final ? this.finishedAt : null,
    };
  }
}
