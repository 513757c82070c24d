import { parse } from 'csv-parse';
import { TenantryError } from '../errors.js';
import { isStorableText } from '../schemas/text.js';
import { checkHeader, type ImportCatalog, type ImportColumn, type ImportHeaderColumn } from './columns.js';

/** What an import reads: the whole text, its bytes, chunks as they arrive, or a web stream. */
export type ImportSource =
  | string
  | Uint8Array
  | AsyncIterable<string | Uint8Array>
  | ReadableStream<Uint8Array | string>;

/** One data row: its number as a spreadsheet shows it (the header is row 1) and its values by column. */
export interface ImportRow {
  row: number;
  /** Non-empty cells by column: the built-in ones, and `field.<key>` or `access.<type>`. */
  values: Partial<Record<ImportColumn, string>> & { readonly [column: string]: string | undefined };
}

function refuse(message: string): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, { issues: [{ path: 'csv', message }] });
}

/**
 * Refuses with `VALIDATION_FAILED`, before anything is read, a value that is
 * none of the sources an import reads: a string, bytes, an async iterable of
 * chunks, or a web `ReadableStream`. (What the chunks hold is checked as they
 * are read.)
 */
export function checkImportSource(value: unknown): asserts value is ImportSource {
  if (typeof value === 'string' || value instanceof Uint8Array) return;
  const source = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>) : {};
  if (typeof source.getReader === 'function' || typeof source[Symbol.asyncIterator] === 'function') return;
  throw refuse('csv must be a string, bytes, an async iterable of chunks or a ReadableStream');
}

async function* chunksOf(source: ImportSource): AsyncGenerator<unknown> {
  checkImportSource(source);
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
  } else {
    yield* source as AsyncIterable<unknown>;
  }
}

/**
 * The text of a source, refusing it once it passes `maxBytes` (so a huge
 * upload is never held whole) or if its bytes are not UTF-8. Text given as
 * strings is kept as it is (an unpaired surrogate is not turned into U+FFFD),
 * and a surrogate pair split between two chunks comes together again.
 */
async function readText(source: ImportSource, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const encoder = new TextEncoder();
  let bytes = 0;
  let text = '';
  let decoding = false;
  // Only decoding failures mean the file is not text; an error of the source itself (a stream that broke) is thrown as it is.
  const decode = (piece?: Uint8Array) => {
    try {
      return piece ? decoder.decode(piece, { stream: true }) : decoder.decode();
    } catch {
      throw refuse('The file is not UTF-8 text');
    }
  };
  for await (const chunk of chunksOf(source)) {
    if (typeof chunk === 'string') {
      bytes += encoder.encode(chunk).byteLength;
      // Bytes before a string must have ended with a whole character.
      if (decoding) text += decode();
      decoding = false;
      text += chunk;
    } else if (chunk instanceof Uint8Array) {
      bytes += chunk.byteLength;
      decoding = true;
      text += decode(chunk);
    } else {
      throw refuse('csv chunks must be strings or bytes');
    }
    if (bytes > maxBytes) throw refuse(`The file is larger than ${maxBytes} bytes`);
  }
  return text + decode();
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
 * The header may have the columns of the catalog's fields and resource types.
 */
export async function readImportFile(
  source: ImportSource,
  limits: { maxRows: number; maxBytes: number },
  catalog: ImportCatalog = {},
): Promise<{ columns: ImportHeaderColumn[]; rows: ImportRow[] }> {
  // The parser reads text as UTF-8, where an unpaired surrogate would silently become U+FFFD; as a NUL it is
  // refused with its row by the same rule (and a lone surrogate cannot be written to storage either way).
  const text = (await readText(source, limits.maxBytes)).replace(/^\uFEFF/u, '').replace(/[\uD800-\uDFFF]/gu, '\u0000');
  if (text.trim() === '') throw refuse('The file is empty');
  const parser = parse(text, { delimiter: delimiterOf(text), relax_column_count: true });
  let columns: ImportHeaderColumn[] | null = null;
  const rows: ImportRow[] = [];
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      // Blank lines are rows in a spreadsheet too: they count, and are skipped.
      row++;
      if (record.every((value) => value.trim() === '')) continue;
      if (!columns) {
        // A NUL in the header is a file of another kind (UTF-16 text, say); in a data row it is that row's fault.
        if (!record.every(isStorableText)) throw refuse('The file is not CSV text');
        columns = checkHeader(record, catalog);
        continue;
      }
      if (rows.length >= limits.maxRows) throw refuse(`The file has more than ${limits.maxRows} rows`);
      const values: Record<string, string> = {};
      (columns as ImportHeaderColumn[]).forEach((column, index) => {
        const value = record[index]?.trim();
        if (value) values[column] = value;
      });
      rows.push({ row, values });
    }
  } catch (error) {
    if (error instanceof TenantryError) throw error;
    // The parser's message may quote the field; the file's content stays out of the answer.
    throw refuse(`The file is not valid CSV: ${(error as Error).message.replace(/, value is .*$/su, '')}`);
  }
  if (!columns) throw refuse('The file is empty');
  return { columns, rows };
}
