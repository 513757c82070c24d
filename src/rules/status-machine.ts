import type { User, UserStatus } from '../types.js';
import { type Refusal, refuse } from './decision.js';

/** The status changes there are: `pending → active`, `active ⇄ disabled`, `pending → disabled`. */
export type StatusTransition = 'activate' | 'disable' | 'enable';

/**
 * The status after a transition, or why it cannot happen (`CONFLICT`).
 * Enabling returns a user to `active` if they had activated, else to `pending`.
 * Erased users make no transition at all.
 */
export function nextStatus(
  user: Pick<User, 'status' | 'activatedAt' | 'erasedAt'>,
  transition: StatusTransition,
): { ok: true; status: UserStatus } | Refusal {
  if (user.erasedAt !== null) return refuse('CONFLICT', 'The user has been erased', { transition });
  switch (transition) {
    case 'activate':
      return user.status === 'pending'
        ? { ok: true, status: 'active' }
        : refuse('CONFLICT', `A ${user.status} user cannot be activated`, { status: user.status, transition });
    case 'disable':
      return user.status === 'disabled'
        ? refuse('CONFLICT', 'The user is already disabled', { status: user.status, transition })
        : { ok: true, status: 'disabled' };
    case 'enable':
      return user.status === 'disabled'
        ? { ok: true, status: user.activatedAt === null ? 'pending' : 'active' }
        : refuse('CONFLICT', `The user is already ${user.status}`, { status: user.status, transition });
  }
}
