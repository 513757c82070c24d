import { TenantryError } from '../errors.js';
import type { FieldCatalog, FieldEditor } from '../fields.js';
import type { Policy } from '../policy.js';
import type { ProfileValueEdit } from '../rules/profile-edit.js';
import type { FieldValue, User, UserFields } from '../types.js';
import { changedFields } from './admin-guard.js';

/** Changes of profile field values: a value, or null to clear the field. */
export type FieldChanges = Readonly<Record<string, FieldValue | null>>;

/**
 * Checks field values against the installation's fields: an unknown field,
 * or a value of the wrong type, is `VALIDATION_FAILED` at `fields.<key>`
 * (never repeating the value). Null clears a field.
 */
export function checkFieldValues(catalog: FieldCatalog, values: FieldChanges): FieldChanges {
  const issues: { path: string; code: string; message: string }[] = [];
  const checked: Record<string, FieldValue | null> = {};
  for (const [key, value] of Object.entries(values)) {
    const field = catalog.fields.get(key);
    if (!field) {
      issues.push({ path: `fields.${key}`, code: 'unrecognized_keys', message: 'No such profile field' });
      continue;
    }
    if (value === null) {
      checked[key] = null;
      continue;
    }
    const parsed = field.schema.safeParse(value);
    if (parsed.success) checked[key] = parsed.data;
    else
      issues.push({
        path: `fields.${key}`,
        code: 'invalid_value',
        message: parsed.error.issues[0]?.message ?? 'Invalid value',
      });
  }
  const [first] = issues;
  if (first)
    throw new TenantryError('VALIDATION_FAILED', `Invalid input at ${first.path}: ${first.message}`, { issues });
  return checked;
}

/** The fields with the changes applied: a null clears its field. */
export function withFieldValues(current: UserFields, changes: FieldChanges): UserFields {
  const next: Record<string, FieldValue> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

const builtInNames = {
  firstName: 'first name',
  lastName: 'last name',
  phone: 'phone',
  preferences: 'preferences',
  emailNotifications: 'mail settings',
} as const;

/** The profile values a change of a user touches, with who may change each (policy for built-ins, the field's own). */
export function profileEdits(policy: Policy, catalog: FieldCatalog, before: User, after: User): ProfileValueEdit[] {
  const builtIn = Object.keys(changedFields(before, after, Object.keys(builtInNames) as (keyof typeof builtInNames)[]));
  const edits: ProfileValueEdit[] = builtIn.map((key) => ({
    name: builtInNames[key as keyof typeof builtInNames],
    editableBy: policy.profile[key as keyof Policy['profile']] as FieldEditor,
  }));
  for (const key of new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])) {
    if (before.fields[key] === after.fields[key]) continue;
    const field = catalog.fields.get(key);
    edits.push({ name: field?.label.toLowerCase() ?? key, editableBy: field?.editableBy ?? 'self-and-admin' });
  }
  return edits;
}
