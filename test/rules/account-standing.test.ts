import { describe, expect, it } from 'vitest';
import {
  mayAct,
  mayBeInvited,
  mayHoldSession,
  mayResetPassword,
  passwordIsChecked,
  type Standing,
  signInRefusal,
  standing,
} from '../../src/rules/account-standing.js';
import type { UserStatus } from '../../src/types.js';

const statuses: UserStatus[] = ['pending', 'active', 'disabled'];
const flags = [false, true];

/** Every status × erased × expired × able to sign in × locked. */
const everyStanding: Standing[] = statuses.flatMap((status) =>
  flags.flatMap((erased) =>
    flags.flatMap((expired) =>
      flags.flatMap((canSignIn) => flags.map((locked) => ({ status, erased, expired, canSignIn, locked }))),
    ),
  ),
);

/** What each question answers, written out from the rules of DESIGN §5 rather than from the code. */
function expected(s: Standing) {
  const present = !s.erased && !s.expired;
  const withLogin = present && s.canSignIn;
  return {
    act: present && s.status !== 'disabled',
    session: withLogin && s.status === 'active',
    passwordChecked: !s.erased && s.canSignIn && !s.locked,
    signIn:
      s.erased || !s.canSignIn || s.locked
        ? 'INVALID_CREDENTIALS'
        : s.status === 'pending'
          ? 'ACCOUNT_PENDING'
          : s.status === 'disabled'
            ? 'ACCOUNT_DISABLED'
            : s.expired
              ? 'ACCOUNT_EXPIRED'
              : 'session',
    reset: withLogin && s.status === 'active',
    invited: withLogin && s.status === 'pending',
  };
}

describe('account standing', () => {
  it('has 48 standings to answer for', () => {
    expect(everyStanding).toHaveLength(48);
  });

  it.each(everyStanding.map((s) => [JSON.stringify(s), s] as const))('answers every question for %s', (_, s) => {
    expect({
      act: mayAct(s),
      session: mayHoldSession(s),
      passwordChecked: passwordIsChecked(s),
      signIn: signInRefusal(s)?.code ?? 'session',
      reset: mayResetPassword(s),
      invited: mayBeInvited(s),
    }).toEqual(expected(s));
  });

  it('reads a user’s standing at a moment: expiry and timed locks end by themselves', () => {
    const user = {
      erasedAt: null,
      status: 'active' as const,
      expiresAt: new Date('2026-03-02T10:00:00Z'),
      canSignIn: true,
      lockedAt: new Date('2026-03-02T08:00:00Z'),
      lockedUntil: new Date('2026-03-02T09:30:00Z'),
    };
    expect(standing(user, new Date('2026-03-02T09:00:00Z'))).toMatchObject({ expired: false, locked: true });
    expect(standing(user, new Date('2026-03-02T09:45:00Z'))).toMatchObject({ expired: false, locked: false });
    expect(standing(user, new Date('2026-03-02T10:00:00Z'))).toMatchObject({ expired: true, locked: false });
    expect(standing({ ...user, lockedUntil: null }, new Date('2030-01-01'))).toMatchObject({ locked: true });
  });
});
