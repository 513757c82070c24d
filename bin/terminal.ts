import type { ImportException, ImportReport } from '../src/index.js';

/** Where a command writes: results to `stdout`, progress and errors to `stderr`. */
export interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** How an import reports progress on stderr. */
export interface Progress {
  update(step: { processed: number; total?: number }): void;
  /** Ends the line of a progress bar, if one is drawn. */
  finish(): void;
}

/**
 * A cell safe to print: control characters (a CSV cell may hold escape
 * sequences or line breaks) become `?`, and a cell longer than `max` is cut
 * with `…`.
 */
export function cell(text: string, max = Number.POSITIVE_INFINITY): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to remove
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, Math.max(0, max - 1))}…` : clean;
}

function percentOf(processed: number, total: number | undefined): number | undefined {
  if (total === undefined) return undefined;
  return total === 0 ? 100 : Math.floor((processed / total) * 100);
}

function counted(processed: number, total: number | undefined): string {
  return total === undefined ? `${processed} rows` : `${processed}/${total} rows`;
}

/**
 * Progress on stderr: on a terminal, one line redrawn with `\r` (a bar,
 * processed/total and a percentage); elsewhere (a log, a pipe) a plain line
 * each time another tenth of the rows is done, and at the end.
 */
export function progressReporter(stderr: Output['stderr'], label: string): Progress {
  if (stderr.isTTY) {
    let drawn = false;
    const draw = (text: string) => {
      stderr.write(`\r${text}\u001b[K`);
      drawn = true;
    };
    draw(`${label}: reading the file…`);
    return {
      update({ processed, total }) {
        const percent = percentOf(processed, total);
        const width = Math.max(10, Math.min(40, (stderr.columns ?? 80) - label.length - 40));
        const filled = percent === undefined ? 0 : Math.round((percent / 100) * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        draw(`${label}: ${bar} ${counted(processed, total)}${percent === undefined ? '' : ` ${percent}%`}`);
      },
      finish() {
        if (drawn) stderr.write('\n');
        drawn = false;
      },
    };
  }
  let lastTenth = -1;
  return {
    update({ processed, total }) {
      const percent = percentOf(processed, total);
      const tenth = percent === undefined ? lastTenth + 1 : Math.floor(percent / 10);
      if (tenth <= lastTenth && processed !== total) return;
      lastTenth = tenth;
      stderr.write(`${label}: ${counted(processed, total)}${percent === undefined ? '' : ` (${percent}%)`}\n`);
    },
    finish() {},
  };
}

/** The counts of a finished import, one per line, for stdout. */
export function summaryLines(report: ImportReport): string[] {
  const rows: [string, string | number][] = [
    ['Import', `${report.id} (${report.status})`],
    ['Organization', report.organizationId],
    ['Mode', report.mode],
    ['Dry run', report.dryRun ? 'yes (nothing was written)' : 'no'],
    ['Rows', report.total],
    ['Created', report.created],
    ['Updated', report.updated],
    ['Skipped', report.skipped],
    ['Failed', report.failed],
  ];
  const width = Math.max(...rows.map(([name]) => name.length)) + 1;
  return rows.map(([name, value]) => `${`${name}:`.padEnd(width)} ${value}`);
}

/**
 * The exceptions of an import as an aligned table (row, email, code,
 * message), at most `limit` of them, then how many more there are.
 */
export function exceptionTable(exceptions: readonly ImportException[], limit = 50): string[] {
  if (exceptions.length === 0) return [];
  const header = ['ROW', 'EMAIL', 'CODE', 'MESSAGE'];
  const shown = exceptions
    .slice(0, limit)
    .map((item) => [String(item.row), cell(item.email, 40), cell(item.code), cell(item.message)]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...shown.map((row) => (row[column] as string).length)),
  );
  const line = (row: readonly string[]) =>
    row
      .map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column] as number)))
      .join('  ')
      .trimEnd();
  const more = exceptions.length - shown.length;
  return [
    `Rows not imported (${exceptions.length}):`,
    line(header),
    ...shown.map(line),
    ...(more > 0 ? [`… and ${more} more`] : []),
  ];
}
