import type { ActorFacts } from './actor.js';
import { allowed, type Decision, refuse } from './decision.js';

/** What a user may never change about themselves. */
export type GuardedChange =
  | 'access'
  | 'status'
  | 'expiry'
  | 'email'
  | 'erase'
  | 'password-reset'
  | 'sessions'
  | 'second factors';

/**
 * No self-elevation, no self-removal: a user cannot change their own
 * permissions, roles, status, expiry or email (profile fields they may).
 */
export function checkNotSelf(actor: ActorFacts, targetUserId: string, change: GuardedChange): Decision {
  if (actor.type === 'user' && actor.userId === targetUserId) {
    return refuse('SELF_MODIFICATION', `You cannot change your own ${change}`, { change });
  }
  return allowed;
}
