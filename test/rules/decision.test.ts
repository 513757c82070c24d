import { describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../src/rules/index.js';
import { allowed, firstRefusal, refuse } from '../../src/rules/index.js';

describe('decisions', () => {
  it('allowed is ok and frozen', () => {
    expect(allowed).toEqual({ ok: true });
    expect(Object.isFrozen(allowed)).toBe(true);
  });

  it.each<[string, Record<string, unknown> | undefined, Record<string, unknown>]>([
    ['a refusal carries its code, message and details', { role: 'x' }, { role: 'x' }],
    ['a refusal without details has empty details', undefined, {}],
  ])('%s', (_name, details, expected) => {
    expect(refuse('CONFLICT', 'Nope', details)).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: 'Nope',
      details: expected,
    });
  });
});

describe('firstRefusal', () => {
  const no = (code: 'NOT_FOUND' | 'FORBIDDEN') => () => refuse(code, code);
  const yes = () => allowed;

  it.each<[string, Array<() => Decision>, string | null]>([
    ['nothing to decide is allowed', [], null],
    ['all allowed is allowed', [yes, yes], null],
    ['a single refusal is returned', [yes, no('FORBIDDEN')], 'FORBIDDEN'],
    ['the first refusal wins', [no('NOT_FOUND'), no('FORBIDDEN')], 'NOT_FOUND'],
  ])('%s', (_name, decisions, code) => {
    const decision = firstRefusal(...decisions);
    expect(decision.ok ? null : decision.code).toBe(code);
  });

  it('does not evaluate the decisions after the first refusal', () => {
    const later = vi.fn(() => allowed);
    firstRefusal(no('NOT_FOUND'), later);
    expect(later).not.toHaveBeenCalled();
  });
});
