import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../src/import/read-csv.js';
import { importedUser, reportedEmail } from '../../src/import/row-fields.js';
import { TenantryError } from '../../src/index.js';

const limits = { maxRows: 50_000, maxBytes: 20 * 1024 * 1024 };
const header = 'email,first_name,last_name';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TenantryError);
  expect((error as TenantryError).code).toBe('VALIDATION_FAILED');
  return (error as TenantryError).message;
}

async function* chunks(...pieces: (string | Uint8Array)[]) {
  yield* pieces;
}

describe('import files with hostile text', () => {
  it('keeps a NUL or an unpaired surrogate in a data cell for its row to refuse, naming the column', async () => {
    const csv = `${header}\nnul@x.example,A\u0000nn,Lee\nlone@x.example,Bo,L\uDC00ee\n`;
    const { rows } = await readImportFile(csv, limits);
    expect(rows.map(({ row }) => row)).toEqual([2, 3]);
    const messages = rows.map((row) => {
      try {
        importedUser(row);
        return 'imported';
      } catch (error) {
        return (error as TenantryError).message;
      }
    });
    expect(messages).toEqual([
      'first_name: Contains a NUL character or an unpaired surrogate',
      'last_name: Contains a NUL character or an unpaired surrogate',
    ]);
  });

  it('refuses a header with a NUL as not CSV text (UTF-16, say)', async () => {
    const utf16 = new Uint8Array([...'email,x\n'].flatMap((character) => [character.charCodeAt(0), 0]));
    expect(await refusal(readImportFile(utf16, limits))).toMatch(/not CSV text/);
  });

  it('brings a surrogate pair split between two text chunks together again', async () => {
    const { rows } = await readImportFile(chunks(`${header}\nzoe@x.example,Zo\uD83D`, '\uDE00,Lee\n'), limits);
    expect(rows[0]?.values.first_name).toBe('Zo😀');
  });

  it('refuses chunks that are neither text nor bytes, and bytes cut inside a character before text', async () => {
    const bytes = new TextEncoder().encode(`${header}\nann@x.example,Ä`);
    expect(await refusal(readImportFile(chunks(header, 42 as never), limits))).toMatch(
      /chunks must be strings or bytes/,
    );
    expect(await refusal(readImportFile(chunks(bytes.slice(0, -1), 'x,Lee\n'), limits))).toMatch(/not UTF-8/);
  });

  it('refuses a source of another type before reading anything', async () => {
    for (const source of [42, null, undefined, {}, ['email'], new ArrayBuffer(4)]) {
      expect(await refusal(readImportFile(source as never, limits))).toMatch(/csv must be a string, bytes/);
    }
  });

  it('does not repeat the file’s content in a parsing error', async () => {
    const message = await refusal(readImportFile(`${header}\nann@x.example,secret"x,Lee\n`, limits));
    expect(message).toMatch(/not valid CSV/);
    expect(message).not.toContain('secret');
  });

  it('reports an email cell with the characters no storage can keep replaced, and the rest as it was', () => {
    expect(reportedEmail({ row: 2, values: { email: 'a\u0000b\uD800c\u202Ed\u001B@x.example' } })).toBe(
      'a\uFFFDb\uFFFDc\u202Ed\u001B@x.example',
    );
    expect(reportedEmail({ row: 2, values: { email: 'not an address' } })).toBe('not an address');
    expect(reportedEmail({ row: 2, values: {} })).toBe('');
  });
});
