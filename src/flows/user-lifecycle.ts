import { nextStatus } from '../rules/status-machine.js';
import { checkNewExpiry } from '../rules/user-conditions.js';
import { parseInput } from '../schemas/parse.js';
import { expirySchema } from '../schemas/users.js';
import type { User, UserView } from '../types.js';
import { reassignContactPerson } from './admin-guard.js';
import { endSessions } from './session-validation.js';
import { enforce, type Unit } from './unit.js';
import { erasedUser } from './user-records.js';
import { changeableUser, changedUser } from './user-target.js';
import { saveUser } from './users.js';

/** `users.disable`: reversible; refused for the last admin; sessions and open links end; the contact person role moves on. */
export async function disableUser(unit: Unit, id: unknown): Promise<UserView> {
  const { user, organization, updated } = await changedUser(unit, id, 'status', (user) => ({
    ...user,
    status: 'disabled',
  }));
  const next = nextStatus(user, 'disable');
  enforce(next);
  const view = await saveUser(unit, user, updated, organization, 'user.disabled', ['status']);
  await endSessions(unit, user.id, organization.id, 'disabled');
  // Invitation and reset links die with the access: enabling again must not revive them.
  await unit.tx.tokens.revokeForUser(user.id, unit.now);
  await reassignContactPerson(unit, organization, updated);
  return { ...view, isContactPerson: false };
}

/** `users.enable`: back to active (or pending if they never activated). */
export async function enableUser(unit: Unit, id: unknown): Promise<UserView> {
  const { user, organization } = await changeableUser(unit, id, 'status');
  const next = nextStatus(user, 'enable');
  enforce(next);
  return saveUser(unit, user, { ...user, status: next.status }, organization, 'user.enabled', ['status']);
}

/** `users.unlock`: clears a lockout and the count of failed sign-ins. */
export async function unlockUser(unit: Unit, id: unknown): Promise<UserView> {
  const { user, organization } = await changeableUser(unit, id, 'status');
  const updated: User = { ...user, lockedAt: null, lockedUntil: null, failedSignIns: 0 };
  return saveUser(unit, user, updated, organization, 'user.unlocked', ['lockedAt', 'lockedUntil', 'failedSignIns']);
}

/** `users.setExpiry`: a temporary account, or null for a lasting one. Temporary admins do not count as the last admin. */
export async function setExpiry(unit: Unit, id: unknown, input: unknown): Promise<UserView> {
  const expiresAt = parseInput(expirySchema, input);
  enforce(checkNewExpiry(expiresAt, unit.now, 'expiresAt'));
  const { user, organization, updated } = await changedUser(unit, id, 'expiry', (user) => ({ ...user, expiresAt }));
  return saveUser(unit, user, updated, organization, 'user.expiry.changed', ['expiresAt']);
}

/** `users.invalidateSessions`: signs the user out everywhere; returns how many sessions ended. */
export async function invalidateSessions(unit: Unit, id: unknown): Promise<{ revoked: number }> {
  const { user, organization } = await changeableUser(unit, id, 'profile');
  const revoked = await unit.tx.sessions.revokeForUser(user.id, unit.now);
  unit.record('session.revoked', {
    organizationId: organization.id,
    targetId: user.id,
    metadata: { reason: 'invalidated', revoked },
  });
  return { revoked };
}

/** The fields that hold personal data, scrubbed from the user and from audit events about them. */
const personalFields = ['email', 'firstName', 'lastName', 'phone', 'preferences'] as const;

/**
 * `users.erase`: GDPR erasure. Personal data is scrubbed to a tombstone that
 * keeps the id, and from the audit trail's record of changes, so the trail
 * stays valid without the person in it. Refused for the last admin.
 */
export async function eraseUser(unit: Unit, id: unknown): Promise<void> {
  const {
    user,
    organization,
    updated: erased,
  } = await changedUser(unit, id, 'erase', (user) => erasedUser(user, unit.now));
  await unit.tx.users.update(erased);
  await unit.tx.audit.redactChanges(user.id, personalFields, '[erased]');
  await endSessions(unit, user.id, organization.id, 'erased');
  await unit.tx.tokens.revokeForUser(user.id, unit.now);
  unit.record('user.erased', { organizationId: organization.id, targetId: user.id });
  await reassignContactPerson(unit, organization, erased);
}
