import { parse } from 'csv-parse';
import { TenantryError } from '../errors.js';
import { checkHeader, type ImportColumn } from './columns.js';

/** What an import reads: the whole text, its bytes, chunks as they arrive, or a web stream. */
export type ImportSource =
  | string
  | Uint8Array
  | AsyncIterable<string | Uint8Array>
  | ReadableStream<Uint8Array | string>;

/** One data row: its number as a spreadsheet shows it (the header is row 1) and its values by column. */
export interface ImportRow {
  row: number;
  values: Partial<Record<ImportColumn, string>>;
}

function refuse(message: string): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, { issues: [{ path: 'csv', message }] });
}

async function* chunksOf(source: ImportSource): AsyncGenerator<string | Uint8Array> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield source;
  } else if (typeof (source as ReadableStream).getReader === 'function') {
    const reader = (source as ReadableStream<Uint8Array | string>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if (Symbol.asyncIterator in (source as object)) {
    yield* source as AsyncIterable<string | Uint8Array>;
  } else {
    throw refuse('csv must be a string, bytes, an async iterable of chunks or a ReadableStream');
  }
}

/**
 * The text of a source as UTF-8, refusing it once it passes `maxBytes` (so a
 * huge upload is never held whole) or if it is not text at all.
 */
async function readText(source: ImportSource, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  let text = '';
  // Only decoding failures mean the file is not text; an error of the source itself (a stream that broke) is thrown as it is.
  const decode = (piece?: Uint8Array) => {
    try {
      return piece ? decoder.decode(piece, { stream: true }) : decoder.decode();
    } catch {
      throw refuse('The file is not UTF-8 text');
    }
  };
  for await (const chunk of chunksOf(source)) {
    const piece = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    bytes += piece.byteLength;
    if (bytes > maxBytes) throw refuse(`The file is larger than ${maxBytes} bytes`);
    text += decode(piece);
  }
  text += decode();
  if (text.includes('\u0000')) throw refuse('The file is not CSV text');
  return text;
}

/** `;` when the header line has more of them than commas (spreadsheets in many locales write that). */
function delimiterOf(text: string): ',' | ';' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/u));
  const count = (character: string) => firstLine.split(character).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/**
 * Reads an import file whole before anything is written: the header checked
 * against the template, then every data row with its spreadsheet row number.
 * Quotes, embedded newlines, a byte-order mark, `,` or `;` are understood.
 * An empty file, one that is not CSV, one with an unknown header, or one over
 * `maxRows` data rows or `maxBytes` is refused with `VALIDATION_FAILED`.
 */
export async function readImportFile(
  source: ImportSource,
  limits: { maxRows: number; maxBytes: number },
): Promise<{ columns: ImportColumn[]; rows: ImportRow[] }> {
  const text = (await readText(source, limits.maxBytes)).replace(/^\uFEFF/u, '');
  if (text.trim() === '') throw refuse('The file is empty');
  const parser = parse(text, { delimiter: delimiterOf(text), relax_column_count: true });
  let columns: ImportColumn[] | null = null;
  const rows: ImportRow[] = [];
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      // Blank lines are rows in a spreadsheet too: they count, and are skipped.
      row++;
      if (record.every((value) => value.trim() === '')) continue;
      if (!columns) {
        columns = checkHeader(record);
        continue;
      }
      if (rows.length >= limits.maxRows) throw refuse(`The file has more than ${limits.maxRows} rows`);
      const values: ImportRow['values'] = {};
      (columns as ImportColumn[]).forEach((column, index) => {
        const value = record[index]?.trim();
        if (value) values[column] = value;
      });
      rows.push({ row, values });
    }
  } catch (error) {
    if (error instanceof TenantryError) throw error;
    throw refuse(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (!columns) throw refuse('The file is empty');
  return { columns, rows };
}
