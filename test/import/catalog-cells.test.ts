import { describe, expect, it } from 'vitest';
import { accessCell, importedCatalogCells } from '../../src/import/catalog-cells.js';
import { checkHeader, importTemplate } from '../../src/import/columns.js';
import { defineUserFields, TenantryError } from '../../src/index.js';

const fields = defineUserFields({
  desk: { label: 'Desk', type: 'number' },
  remote: { label: 'Remote', type: 'boolean' },
  badge: { label: 'Badge' },
});
const columns = checkHeader(
  ['email', 'first_name', 'last_name', 'Field.Desk', 'FIELD.remote', 'field.badge', 'access.job'],
  {
    fields,
    resources: { keys: ['job'], types: new Map([['job', { key: 'job', label: 'Jobs', managedBy: 'org.admin' }]]) },
  },
);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TenantryError);
    return `${(error as TenantryError).code} ${(error as TenantryError).details.column}`;
  }
  throw new Error('expected a refusal');
}

describe('import cells of fields and resource access', () => {
  it('names field and access columns as the catalog spells them, whatever case the header uses', () => {
    expect(columns.slice(3)).toEqual(['field.desk', 'field.remote', 'field.badge', 'access.job']);
    expect(importTemplate({ fields })).toBe(`${importTemplate()},field.desk,field.remote,field.badge`);
  });

  it('reads access as all, none or ids separated by |, sorted without repeats', () => {
    expect(accessCell('access.job', 'ALL')).toBe('all');
    expect(accessCell('access.job', undefined)).toBe('none');
    expect(accessCell('access.job', ' b | a |a|| c d ')).toEqual(['a', 'b', 'c d']);
    expect(refusal(() => accessCell('access.job', 'x'.repeat(201)))).toBe('VALIDATION_FAILED access.job');
    expect(refusal(() => accessCell('access.job', 'ok|bad\u0000'))).toBe('VALIDATION_FAILED access.job');
  });

  it('reads numbers and flags by the field type, and an empty cell as clearing the field', () => {
    const row = (values: Record<string, string>) => ({ row: 2, values });
    expect(importedCatalogCells(row({ 'field.desk': '-1.5e2', 'field.remote': 'No' }), columns, fields)).toEqual({
      fields: { desk: -150, remote: false, badge: null },
      access: new Map([['job', 'none']]),
    });
    expect(refusal(() => importedCatalogCells(row({ 'field.desk': '1,5' }), columns, fields))).toBe(
      'VALIDATION_FAILED field.desk',
    );
    expect(refusal(() => importedCatalogCells(row({ 'field.remote': 'maybe' }), columns, fields))).toBe(
      'VALIDATION_FAILED field.remote',
    );
    // Only the file's columns count: a field the file leaves out is not touched.
    expect(importedCatalogCells(row({}), columns.slice(0, 4), fields).fields).toEqual({ desk: null });
  });

  it('refuses field keys and resource types that differ only in case, as headers ignore case', () => {
    expect(() => defineUserFields({ desk: { label: 'a' }, Desk: { label: 'b' } })).toThrow(/only in case/);
  });
});
