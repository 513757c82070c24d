import type { z } from 'zod';
import { TenantryError } from '../errors.js';
import { findUnsafeValue } from './nesting.js';
import { isDisplayText } from './text.js';

/**
 * How deep any input may nest before its schema sees it. No public input is
 * nearly this deep (free JSON stops at 32 levels); the bound is what keeps a
 * schema from recursing into input nested thousands of levels deep.
 */
export const MAX_INPUT_DEPTH = 64;

interface Issue {
  path: string;
  code: string;
  message: string;
}

/** A path as issues show it; a key that is not fit to show (a line break, say) shows as `?`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'string' && !isDisplayText(key) ? '?' : String(key))).join('.');
}

function refusal(issues: Issue[]): TenantryError {
  const first = issues[0];
  const message = first ? `Invalid input${first.path ? ` at ${first.path}` : ''}: ${first.message}` : 'Invalid input';
  return new TenantryError('VALIDATION_FAILED', message, { issues });
}

/**
 * Parses input with a schema, or throws `VALIDATION_FAILED` with the issues
 * (paths and messages, never values). Before the schema runs, the whole input
 * is walked once without recursion: a string or key anywhere in it with a NUL
 * or an unpaired surrogate, or nesting deeper than {@link MAX_INPUT_DEPTH},
 * is refused, whatever the schema, so neither reaches storage or a stack.
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  return parse(schema, input, 0);
}

/**
 * Parses an operation's arguments with its tuple schema, as {@link parseInput}
 * does; an issue's path starts within its argument (`permissions`, not
 * `1.permissions`), as if each argument were parsed alone.
 */
export function parseArguments<Schema extends z.ZodType>(schema: Schema, args: readonly unknown[]): z.output<Schema> {
  return parse(schema, args, 1);
}

function parse<Schema extends z.ZodType>(schema: Schema, input: unknown, skip: number): z.output<Schema> {
  const unsafe = findUnsafeValue(input, { maxDepth: MAX_INPUT_DEPTH + skip });
  if (unsafe) throw refusal([{ path: pathText(unsafe.path.slice(skip)), code: 'custom', message: unsafe.message }]);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw refusal(
    result.error.issues.map((issue) => ({
      path: pathText(issue.path.slice(skip)),
      code: issue.code,
      // Zod names unknown keys in its message; one unfit to show is left out.
      message:
        issue.code === 'unrecognized_keys' && !issue.keys.every(isDisplayText) ? 'Unrecognized key' : issue.message,
    })),
  );
}
