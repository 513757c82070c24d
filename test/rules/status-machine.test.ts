import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatusTransition } from '../../src/rules/index.js';
import { nextStatus } from '../../src/rules/index.js';
import type { UserStatus } from '../../src/types.js';
import { statuses, T0, user } from './fixtures.js';

const transitions: readonly StatusTransition[] = ['activate', 'disable', 'enable'];

describe('nextStatus', () => {
  it.each<[string, UserStatus, boolean, StatusTransition, UserStatus | null]>([
    ['a pending user can be activated', 'pending', false, 'activate', 'active'],
    ['an active user cannot be activated again', 'active', true, 'activate', null],
    ['a disabled user cannot be activated (they must be enabled)', 'disabled', false, 'activate', null],
    ['a disabled user who had activated cannot be activated either', 'disabled', true, 'activate', null],
    ['an active user can be disabled', 'active', true, 'disable', 'disabled'],
    ['a pending user can be disabled', 'pending', false, 'disable', 'disabled'],
    ['a disabled user cannot be disabled again', 'disabled', true, 'disable', null],
    ['enabling a user who had activated returns them to active', 'disabled', true, 'enable', 'active'],
    ['enabling a user who never activated returns them to pending', 'disabled', false, 'enable', 'pending'],
    ['an active user cannot be enabled', 'active', true, 'enable', null],
    ['a pending user cannot be enabled', 'pending', false, 'enable', null],
  ])('%s', (_name, status, activated, transition, expected) => {
    const result = nextStatus(user('u', { status, activatedAt: activated ? T0 : null }), transition);
    if (expected === null) {
      expect(result).toMatchObject({ ok: false, code: 'CONFLICT', details: { transition } });
    } else {
      expect(result).toEqual({ ok: true, status: expected });
    }
  });

  describe.each(statuses)('an erased %s user', (status) => {
    it.each(transitions)('cannot %s', (transition) => {
      for (const activatedAt of [null, T0]) {
        const result = nextStatus(user('u', { status, activatedAt, erasedAt: T0 }), transition);
        expect(result).toMatchObject({ ok: false, code: 'CONFLICT', details: { transition } });
      }
    });
  });

  const userArb = fc.record({
    status: fc.constantFrom(...statuses),
    activatedAt: fc.option(fc.constant(T0), { nil: null }),
    erasedAt: fc.option(fc.constant(T0), { nil: null }),
  });

  it('never leaves the three statuses, and refuses only with CONFLICT', () => {
    fc.assert(
      fc.property(userArb, fc.constantFrom(...transitions), (subject, transition) => {
        const result = nextStatus(subject, transition);
        if (result.ok) expect(statuses).toContain(result.status);
        else expect(result.code).toBe('CONFLICT');
      }),
    );
  });

  it('always changes the status when it allows a transition', () => {
    fc.assert(
      fc.property(userArb, fc.constantFrom(...transitions), (subject, transition) => {
        const result = nextStatus(subject, transition);
        if (result.ok) expect(result.status).not.toBe(subject.status);
      }),
    );
  });

  it('can always bring back a disabled, not erased user, and disabling is always undone by enabling', () => {
    fc.assert(
      fc.property(userArb, (subject) => {
        fc.pre(subject.erasedAt === null && subject.status !== 'disabled');
        const disabled = nextStatus(subject, 'disable');
        expect(disabled).toEqual({ ok: true, status: 'disabled' });
        const enabled = nextStatus({ ...subject, status: 'disabled' }, 'enable');
        const expected = subject.activatedAt === null ? 'pending' : 'active';
        expect(enabled).toEqual({ ok: true, status: expected });
      }),
    );
  });
});
