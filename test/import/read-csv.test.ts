import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../src/import/read-csv.js';
import { importTemplate, TenantryError } from '../../src/index.js';

const limits = { maxRows: 50_000, maxBytes: 20 * 1024 * 1024 };
const header = 'email,first_name,last_name,roles';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TenantryError);
  expect((error as TenantryError).code).toBe('VALIDATION_FAILED');
  return (error as TenantryError).message;
}

describe('import files', () => {
  it('offers the template header with every documented column', () => {
    expect(importTemplate()).toBe(
      'email,first_name,last_name,phone,roles,permissions,organization,locale,time_zone,date_format,time_format,number_format,expires_at,can_sign_in',
    );
  });

  it('reads rows with their spreadsheet numbers, quotes, embedded newlines and blank lines', async () => {
    const csv = `${header}\r\nann@x.example,Ann,"Admin, Sr.",basic\r\n\r\n"bob@x.example",Bob,"Two\nLines",\n`;
    const { rows } = await readImportFile(csv, limits);
    expect(rows).toEqual([
      { row: 2, values: { email: 'ann@x.example', first_name: 'Ann', last_name: 'Admin, Sr.', roles: 'basic' } },
      { row: 4, values: { email: 'bob@x.example', first_name: 'Bob', last_name: 'Two\nLines' } },
    ]);
  });

  it('reads a byte-order mark, semicolons, any header case, bytes, chunks and web streams alike', async () => {
    const text = '\uFEFFEmail; First_Name ;LAST_NAME\nann@x.example;Ann;Admin\n';
    const expected = [{ row: 2, values: { email: 'ann@x.example', first_name: 'Ann', last_name: 'Admin' } }];
    const bytes = new TextEncoder().encode(text);
    async function* chunks() {
      // Split inside a multi-byte character on purpose.
      yield bytes.slice(0, 5);
      yield bytes.slice(5);
    }
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    for (const source of [text, bytes, chunks(), stream]) {
      expect((await readImportFile(source, limits)).rows).toEqual(expected);
    }
  });

  it('passes on an error of the source itself rather than calling the file not UTF-8', async () => {
    const broken = new Error('ENOENT: no such file');
    async function* source() {
      yield 'email,first_name,last_name\n';
      throw broken;
    }
    await expect(readImportFile(source(), limits)).rejects.toBe(broken);
  });

  it('refuses empty, binary, oversized and long files, and unknown headers, before reading rows', async () => {
    expect(await refusal(readImportFile('', limits))).toMatch(/empty/);
    expect(await refusal(readImportFile('\n\n', limits))).toMatch(/empty/);
    expect(await refusal(readImportFile(new Uint8Array([0xff, 0xfe, 0x00, 0x01]), limits))).toMatch(/not UTF-8/);
    expect(await refusal(readImportFile('email\u0000,x\n', limits))).toMatch(/not CSV/);
    expect(await refusal(readImportFile(`${header}\n`.repeat(2), { ...limits, maxBytes: 40 }))).toMatch(/larger/);
    const three = `${header}\na@x.example,A,A\nb@x.example,B,B\nc@x.example,C,C\n`;
    expect(await refusal(readImportFile(three, { ...limits, maxRows: 2 }))).toMatch(/more than 2 rows/);
    expect(await refusal(readImportFile('email,first_name,surname\n', limits))).toMatch(
      /unknown column.*surname.*missing column.*last_name/,
    );
    expect(await refusal(readImportFile('email,email,first_name,last_name\n', limits))).toMatch(/repeated/);
    expect(await refusal(readImportFile(`${header}\n"unclosed,quote\n`, limits))).toMatch(/not valid CSV/);
  });
});
