import { describe, expect, it } from 'vitest';
import type { FieldEditor } from '../../src/fields.js';
import { checkProfileEdit } from '../../src/rules/profile-edit.js';

describe('checkProfileEdit', () => {
  const cases: [FieldEditor, boolean, string][] = [
    ['self-and-admin', true, 'ok'],
    ['self-and-admin', false, 'ok'],
    ['self', true, 'ok'],
    ['self', false, 'FORBIDDEN'],
    ['admin', false, 'ok'],
    ['admin', true, 'SELF_MODIFICATION'],
  ];

  it.each(cases)('a value editable by %s, changed by the user themselves: %s → %s', (editableBy, self, answer) => {
    const decision = checkProfileEdit(self, [{ name: 'picture', editableBy }]);
    expect(decision.ok ? 'ok' : decision.code).toBe(answer);
  });

  it('answers for the first value the actor may not change, and allows a change of nothing', () => {
    const edits = [
      { name: 'title', editableBy: 'self-and-admin' as const },
      { name: 'first name', editableBy: 'self' as const },
    ];
    expect(checkProfileEdit(false, edits)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      details: { field: 'first name' },
    });
    expect(checkProfileEdit(false, []).ok).toBe(true);
  });
});
