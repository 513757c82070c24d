import { z } from 'zod';
import { findUnsafeValue } from './nesting.js';

/** How deep free JSON (an organization's `attributes`) may nest. */
export const MAX_JSON_DEPTH = 32;

/** A JSON value as free JSON fields hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Any JSON value, nested at most {@link MAX_JSON_DEPTH} levels, whose strings
 * and keys hold no NUL or unpaired surrogate. Unlike `z.json()`, it checks the
 * value with a loop of its own, so no input, however deep, makes it recurse.
 */
export const jsonValueSchema = z
  .custom<JsonValue>()
  .superRefine((value, context) => {
    const problem = findUnsafeValue(value, { maxDepth: MAX_JSON_DEPTH, jsonOnly: true });
    if (problem) context.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  })
  .meta({ description: `Any JSON value, nested at most ${MAX_JSON_DEPTH} levels` });
