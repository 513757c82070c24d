import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nameFromEmail, normalizeEmail, TenantryError } from '../../src/index.js';
import { nameSchema, phoneSchema } from '../../src/schemas/common.js';
import { jsonValueSchema } from '../../src/schemas/json.js';
import { attributesSchema } from '../../src/schemas/organizations.js';
import { parseInput } from '../../src/schemas/parse.js';
import { displayText, storableText } from '../../src/schemas/text.js';

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** The VALIDATION_FAILED a parse throws (fails the test if it parses). */
function refusal(parse: () => unknown): TenantryError {
  try {
    parse();
  } catch (error) {
    if (error instanceof TenantryError && error.code === 'VALIDATION_FAILED') return error;
    throw error;
  }
  throw new Error('expected the input to be refused');
}

describe('text schemas', () => {
  it('refuse NUL and unpaired surrogates in any stored text, and keep every other character', () => {
    const text = storableText(50);
    for (const bad of ['a\u0000b', '\uD800', 'x\uDFFF', '\uDBFF\uDBFF'])
      expect(text.safeParse(bad).success).toBe(false);
    for (const good of ['😀', 'tab\there', 'line\nbreak', '\u202Eflip', 'Ünïcödé 李']) {
      expect(text.parse(good)).toBe(good);
    }
  });

  it('refuse control characters, line breaks and bidirectional controls in display text, anywhere in it', () => {
    const label = displayText({ max: 50 });
    const controls = ['\r', '\n', '\t', '\u0000', '\u001B', '\u007F', '\u0085', '\u009F', '\u2028', '\u2029'];
    const bidi = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const bad of [...controls, ...bidi]) {
      expect(label.safeParse(`Acme${bad}`).success, JSON.stringify(bad)).toBe(false);
      expect(label.safeParse(`Ac${bad}me`).success, JSON.stringify(bad)).toBe(false);
    }
    expect(label.parse('  Zoë O’Brien-Łukasz 李 😀  ')).toBe('Zoë O’Brien-Łukasz 李 😀');
    expect(phoneSchema.parse(' +49 (30) 1234-5 ')).toBe('+49 (30) 1234-5');
    expect(phoneSchema.safeParse('+49\n30').success).toBe(false);
  });

  it('require a letter or digit in a name', () => {
    for (const nameless of ['—', '...', ' - ', '!!', '']) expect(nameSchema.safeParse(nameless).success).toBe(false);
    for (const name of ['Ann', '李', 'X Æ A-12', '3M']) expect(nameSchema.parse(name)).toBe(name);
  });
});

describe('free JSON', () => {
  it('keeps JSON nested 32 levels and refuses 33, without recursing into input thousands of levels deep', () => {
    expect(jsonValueSchema.parse(nested(32))).toEqual(nested(32));
    expect(jsonValueSchema.safeParse(nested(33)).success).toBe(false);
    const issues = jsonValueSchema.safeParse(nested(100_000)).error?.issues ?? [];
    expect(issues.map(({ path, message }) => [path, message])).toEqual([[['a'], 'Nested deeper than 32 levels']]);
  });

  it('refuses what is not JSON, and NUL or unpaired surrogates in its strings and keys', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, undefined, new Date(0), () => 1, 1n, { a: undefined }]) {
      expect(jsonValueSchema.safeParse(bad).success).toBe(false);
    }
    for (const bad of [{ a: ['ok', 'x\u0000'] }, { 'k\uD800': 1 }, '\uDC00']) {
      expect(jsonValueSchema.safeParse(bad).success).toBe(false);
    }
    expect(jsonValueSchema.parse({ a: [1, 'two', null, true, { 'ü 😀': -0.5 }] })).toEqual({
      a: [1, 'two', null, true, { 'ü 😀': -0.5 }],
    });
  });

  it('bounds attributes to 16 KB of JSON', () => {
    expect(attributesSchema.safeParse({ big: 'x'.repeat(16_400) }).success).toBe(false);
    expect(attributesSchema.parse({ version: 20 })).toEqual({ version: 20 });
  });
});

describe('parsing input', () => {
  const loose = z.strictObject({ note: z.string(), list: z.array(z.unknown()).optional() });

  it('refuses a NUL or an unpaired surrogate anywhere, whatever the schema says, naming the path but not the value', () => {
    const error = refusal(() => parseInput(loose, { note: 'secret\u0000value' }));
    expect(error.message).toBe('Invalid input at note: Contains a NUL character or an unpaired surrogate');
    expect(refusal(() => parseInput(loose, { note: 'ok', list: [{ deep: ['\uD800'] }] })).message).toContain(
      'at list.0.deep.0:',
    );
    expect(refusal(() => parseInput(loose, { note: 'ok', list: [{ 'k\u0000': 1 }] })).message).toBe(
      'Invalid input at list.0: A key contains a NUL character or an unpaired surrogate',
    );
  });

  it('refuses input nested deeper than 64 levels, or cyclic, before the schema sees it', () => {
    const schema = z.unknown().refine(() => {
      throw new Error('the schema must not run');
    });
    expect(refusal(() => parseInput(schema, nested(5_000))).message).toBe(
      'Invalid input at a: Nested deeper than 64 levels',
    );
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(refusal(() => parseInput(schema, cycle)).message).toContain('Nested deeper than 64 levels');
  });

  it('shows a key unfit to display as ? in paths and leaves it out of messages', () => {
    const error = refusal(() => parseInput(loose, { note: 'ok', 'evil\r\nkey': 1 }));
    expect(error.message).toBe('Invalid input: Unrecognized key');
    const record = z.record(z.string(), z.number());
    expect(refusal(() => parseInput(record, { 'line\nbreak': 'x' })).message).toMatch(/^Invalid input at \?: /u);
  });
});

describe('addresses and names from them', () => {
  it('refuses every address in the .invalid domain, in any spelling, and keeps the other reserved ones', () => {
    for (const reserved of [
      'erased+usr_1@erased.invalid',
      'ERASED+USR_1@ERASED.INVALID',
      'a@b.Invalid',
      'a@b.ｉｎｖａｌｉｄ',
      'a@invalid.example.invalid',
    ]) {
      expect(normalizeEmail(reserved), reserved).toBeNull();
    }
    expect(normalizeEmail('ann@example.test')).toBe('ann@example.test');
    expect(normalizeEmail('ann@invalid.example')).toBe('ann@invalid.example');
  });

  it('derives a name only from words with a letter or digit', () => {
    expect(nameFromEmail('+@a.example')).toBeNull();
    expect(nameFromEmail('+portal@a.example')).toBeNull();
    expect(nameFromEmail('_.-@a.example')).toBeNull();
    expect(nameFromEmail('!!@a.example')).toBeNull();
    expect(nameFromEmail('!!.lee@a.example')).toEqual({ firstName: 'Lee', lastName: '' });
    expect(nameFromEmail('007@a.example')).toEqual({ firstName: '007', lastName: '' });
  });
});
