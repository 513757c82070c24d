import { isStorableText, UNSTORABLE_MESSAGE } from './text.js';

/** What {@link findUnsafeValue} found: where (the path of keys and indexes) and what, never the value. */
export interface UnsafeValue {
  path: (string | number)[];
  message: string;
}

/** How {@link findUnsafeValue} walks. */
export interface NestingOptions {
  /** Arrays and objects may nest this many levels; deeper is refused. */
  maxDepth: number;
  /** Also refuse anything that is not JSON (functions, dates, `undefined`, non-finite numbers, class instances). */
  jsonOnly?: boolean;
}

const UNSTORABLE_KEY_MESSAGE = 'A key contains a NUL character or an unpaired surrogate';

type Child = [key: string | number, value: unknown];

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function childrenOf(value: object): Child[] | null {
  if (Array.isArray(value)) return Array.from(value, (item, index): Child => [index, item]);
  if (isPlainObject(value)) return Object.keys(value).map((key): Child => [key, value[key]]);
  return null;
}

function isJsonPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * The first string or key, in document order, that holds a NUL or an unpaired
 * surrogate, or the first place nested deeper than `maxDepth`; null if there is
 * none. It walks with a stack of its own, so input nested thousands of levels
 * deep is refused rather than overflowing the call stack, and a cycle is
 * refused as too deep. Only arrays and plain objects are entered.
 */
export function findUnsafeValue(input: unknown, options: NestingOptions): UnsafeValue | null {
  // Nearly every input is safe: a walk that keeps no paths tells so, and only a refused one is walked again to say where.
  return isSafe(input, options) ? null : locateUnsafeValue(input, options);
}

/** {@link findUnsafeValue}'s answer without the where: a walk with a stack of values and depths, allocating no paths. */
function isSafe(input: unknown, { maxDepth, jsonOnly = false }: NestingOptions): boolean {
  if (typeof input === 'string') return isStorableText(input);
  const values: unknown[] = [input];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return false;
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      if (jsonOnly && !isJsonPrimitive(value)) return false;
      continue;
    }
    if (Array.isArray(value)) {
      if (depth >= maxDepth) return false;
      for (const item of value) {
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    if (!isPlainObject(value)) {
      if (jsonOnly) return false;
      continue;
    }
    if (depth >= maxDepth) return false;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (!isStorableText(key)) return false;
      values.push(value[key]);
      depths.push(depth + 1);
    }
  }
  return true;
}

/** Where the first unsafe value is, in document order, with its path. */
function locateUnsafeValue(input: unknown, { maxDepth, jsonOnly = false }: NestingOptions): UnsafeValue | null {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return { path, message: UNSTORABLE_MESSAGE };
      continue;
    }
    const children = typeof value === 'object' && value !== null ? childrenOf(value) : null;
    if (children === null) {
      if (jsonOnly && !isJsonPrimitive(value)) return { path, message: 'Not a JSON value' };
      continue;
    }
    // The path stops at the top: a long chain of keys would say more about the input than the problem.
    if (path.length >= maxDepth) return { path: path.slice(0, 1), message: `Nested deeper than ${maxDepth} levels` };
    for (const [key] of children) {
      if (typeof key === 'string' && !isStorableText(key)) return { path, message: UNSTORABLE_KEY_MESSAGE };
    }
    for (let index = children.length - 1; index >= 0; index--) {
      const [key, child] = children[index] as Child;
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
