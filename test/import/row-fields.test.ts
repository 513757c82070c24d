import { describe, expect, it } from 'vitest';
import { importedUser } from '../../src/import/row-fields.js';
import { TenantryError } from '../../src/index.js';

const row = (values: Record<string, string>) => ({ row: 7, values });
const base = { email: 'Ann.Admin@Example.TEST', first_name: 'Ann', last_name: 'Admin' };

function problem(values: Record<string, string>): { message: string; column: unknown } {
  try {
    importedUser(row(values));
  } catch (error) {
    expect(error).toBeInstanceOf(TenantryError);
    expect((error as TenantryError).code).toBe('VALIDATION_FAILED');
    return { message: (error as TenantryError).message, column: (error as TenantryError).details.column };
  }
  throw new Error('expected a refusal');
}

describe('import rows', () => {
  it('reads a row into the fields of users.add, normalized like them', () => {
    expect(
      importedUser(
        row({
          ...base,
          phone: '+49 30 1234',
          roles: 'basic | advanced',
          permissions: 'tickets.view tickets.edit',
          organization: 'org_sub',
          locale: 'de-DE',
          time_zone: 'Europe/Berlin',
          expires_at: '2027-01-31',
          can_sign_in: 'No',
        }),
      ),
    ).toEqual({
      email: 'Ann.Admin@example.test',
      firstName: 'Ann',
      lastName: 'Admin',
      phone: '+49 30 1234',
      roles: ['basic', 'advanced'],
      permissions: ['tickets.view', 'tickets.edit'],
      organization: 'org_sub',
      preferences: { locale: 'de-DE', timeZone: 'Europe/Berlin' },
      expiresAt: new Date('2027-01-31T00:00:00Z'),
      canSignIn: false,
    });
  });

  it('defaults what a row leaves out: no roles, no grants, a login, a lasting account', () => {
    expect(importedUser(row(base))).toMatchObject({
      roles: [],
      permissions: [],
      organization: null,
      preferences: {},
      expiresAt: null,
      canSignIn: true,
      phone: null,
    });
  });

  it('names the column of the first bad value', () => {
    expect(problem({ ...base, email: 'not an address' }).column).toBe('email');
    expect(problem({ ...base, first_name: '' }).column).toBe('first_name');
    expect(problem({ ...base, expires_at: 'next tuesday' }).column).toBe('expires_at');
    expect(problem({ ...base, can_sign_in: 'maybe' }).column).toBe('can_sign_in');
    expect(problem({ ...base, locale: 'x'.repeat(500) }).column).toBe('locale');
    expect(problem({ ...base, email: 'not an address' }).message).toMatch(/^email: /);
  });
});
