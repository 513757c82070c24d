import type { z } from 'zod';
import { TenantryError } from '../errors.js';

/** Parses input with a schema, or throws `VALIDATION_FAILED` with the issues (paths and messages, never values). */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0];
  const message = first ? `Invalid input${first.path ? ` at ${first.path}` : ''}: ${first.message}` : 'Invalid input';
  throw new TenantryError('VALIDATION_FAILED', message, { issues });
}
