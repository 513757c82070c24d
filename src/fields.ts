import { z } from 'zod';
import { TenantryError } from './errors.js';
import { displayText, storableText } from './schemas/text.js';
import type { FieldValue } from './types.js';

/** Who may change a profile value after the user was created (at creation, the admin sets every one). */
export type FieldEditor = 'self-and-admin' | 'self' | 'admin';

/** How the host app describes one profile field. */
export type UserFieldDefinition = {
  label: string;
  description?: string;
  /** Who changes it after creation (default `self-and-admin`). */
  editableBy?: FieldEditor;
} & (
  | {
      /** Text (the default): at most `maxLength` characters (200 by default); line breaks allowed above 200. */
      type?: 'text';
      maxLength?: number;
    }
  | { /** An `https:` URL (a picture, a profile page), at most 2,000 characters. */ type: 'url' }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'boolean' }
  | { /** One of `values`. */ type: 'enum'; values: readonly string[] }
);

/** A profile field as the rules see it. */
export interface UserField {
  key: string;
  label: string;
  description?: string;
  type: 'text' | 'url' | 'number' | 'boolean' | 'enum';
  editableBy: FieldEditor;
  /** Parses one value (not null: null clears the field). */
  schema: z.ZodType<FieldValue>;
}

/** The installation's profile fields, keyed. */
export interface FieldCatalog<Key extends string = string> {
  readonly keys: readonly Key[];
  readonly fields: ReadonlyMap<string, UserField>;
}

const KEY = /^[A-Za-z][\w]{0,63}$/;

function configError(message: string, details: Record<string, unknown>): TenantryError {
  return new TenantryError('VALIDATION_FAILED', message, details);
}

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function valueSchema(key: string, definition: UserFieldDefinition): z.ZodType<FieldValue> {
  switch (definition.type) {
    case 'url':
      return storableText(2000).refine(isHttpsUrl, 'Enter an https:// address');
    case 'number':
      return z
        .number()
        .finite()
        .min(definition.min ?? Number.MIN_SAFE_INTEGER)
        .max(definition.max ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      return z.boolean();
    case 'enum': {
      if (definition.values.length === 0) throw configError(`Field "${key}" has no values`, { field: key });
      return z.enum(definition.values as [string, ...string[]]);
    }
    default: {
      const maxLength = definition.maxLength ?? 200;
      if (!(maxLength >= 1 && maxLength <= 100_000)) {
        throw configError(`Field "${key}": maxLength must be 1–100,000`, { field: key });
      }
      // One line by default; a longer text (a signature) may run over several.
      return maxLength > 200 ? storableText(maxLength) : displayText({ min: 0, max: maxLength });
    }
  }
}

/**
 * Declares the profile fields of the installation's users, with their types
 * and who may change them after creation.
 *
 * @example
 * ```ts
 * const fields = defineUserFields({
 *   title: { label: 'Job title' },
 *   picture: { label: 'Picture', type: 'url', editableBy: 'self' },
 *   signature: { label: 'Signature', maxLength: 2000, editableBy: 'self' },
 *   employeeNumber: { label: 'Employee number', editableBy: 'admin' },
 * });
 * ```
 */
export function defineUserFields<const Key extends string>(
  definitions: Record<Key, UserFieldDefinition>,
): FieldCatalog<Key> {
  const fields = new Map<string, UserField>();
  const lowered = new Set<string>();
  for (const [key, definition] of Object.entries(definitions as Record<string, UserFieldDefinition>)) {
    if (!KEY.test(key))
      throw configError(`Invalid field key "${key}": a letter, then letters, digits or _`, { field: key });
    // An import file's header names fields without regard to case.
    if (lowered.has(key.toLowerCase()))
      throw configError(`Field keys "${key}" and another differ only in case`, { field: key });
    lowered.add(key.toLowerCase());
    fields.set(
      key,
      Object.freeze({
        key,
        label: definition.label,
        ...(definition.description === undefined ? {} : { description: definition.description }),
        type: definition.type ?? 'text',
        editableBy: definition.editableBy ?? 'self-and-admin',
        schema: valueSchema(key, definition),
      }),
    );
  }
  return Object.freeze({ keys: Object.freeze([...fields.keys()]) as readonly never[], fields });
}

/** No profile fields: the default. */
export const noFields: FieldCatalog = Object.freeze({ keys: [], fields: new Map() });
