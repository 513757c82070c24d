import type { FieldChange, Organization, User, UserFields, UserView } from '../types.js';
import { changedFields } from './admin-guard.js';
import type { Unit } from './unit.js';

/** What a new user's `user.created` event records: the same fields whoever creates them. */
const createdFields = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'permissions',
  'roles',
  'canSignIn',
  'expiresAt',
  'emailNotifications',
] as const satisfies readonly (keyof User)[];

/**
 * The changes a user's audit trail records, in groups: a change of a
 * group's fields records its action, so a subscriber to
 * `user.permissions.changed` hears of every change of access, whoever makes it.
 */
const auditedGroups: readonly { fields: readonly (keyof User & string)[]; action: (after: User) => string }[] = [
  { fields: ['firstName', 'lastName', 'phone', 'preferences', 'emailNotifications'], action: () => 'user.updated' },
  { fields: ['email'], action: () => 'user.email.changed' },
  { fields: ['permissions', 'roles', 'canSignIn'], action: () => 'user.permissions.changed' },
  { fields: ['status'], action: (after) => (after.status === 'disabled' ? 'user.disabled' : 'user.enabled') },
  { fields: ['expiresAt'], action: () => 'user.expiry.changed' },
  { fields: ['lockedAt', 'lockedUntil', 'failedSignIns'], action: () => 'user.unlocked' },
];

/** Writes a new user and records `user.created`. */
export async function insertUser(
  unit: Unit,
  organization: Organization,
  user: User,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await unit.tx.users.insert(user);
  recordCreated(unit, organization, user, metadata);
}

/** Writes many new users in as few round trips as the storage can, each recorded as `users.add` records one. */
export async function insertUsers(
  unit: Unit,
  created: readonly { user: User; organization: Organization }[],
  metadata: Record<string, unknown> = {},
): Promise<void> {
  if (created.length === 0) return;
  await unit.tx.users.insertMany(created.map(({ user }) => user));
  for (const { user, organization } of created) recordCreated(unit, organization, user, metadata);
}

function recordCreated(unit: Unit, organization: Organization, user: User, metadata: Record<string, unknown>): void {
  unit.record('user.created', {
    organizationId: organization.id,
    targetId: user.id,
    changes: { ...changedFields({} as User, user, createdFields), ...fieldValueChanges({}, user.fields) },
    metadata,
  });
}

/** Changes of profile field values, each as `fields.<key>`, as the trail records other profile changes. */
function fieldValueChanges(before: UserFields, after: UserFields): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[key] !== after[key])
      changes[`fields.${key}`] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}

/**
 * Writes a changed user with one audit event per group of fields that
 * changed (see {@link auditedGroups}); an unchanged user is returned as it
 * was, and nothing is written.
 */
export async function saveUser(
  unit: Unit,
  before: User,
  after: User,
  organization: Organization,
  metadata: Record<string, unknown> = {},
): Promise<UserView> {
  const events = auditedGroups.flatMap(({ fields, action }) => {
    const changes = changedFields(before, after, fields);
    // Profile field values change with the profile.
    if (fields.includes('firstName')) Object.assign(changes, fieldValueChanges(before.fields, after.fields));
    return Object.keys(changes).length > 0 ? [{ action: action(after), changes }] : [];
  });
  if (events.length === 0) return unit.view(before, organization);
  const saved = { ...after, updatedAt: unit.now };
  // The access the view shows, read before the write, so that the write and its events go to the database together.
  await unit.resourceAccessOf([saved]);
  await unit.tx.users.update(saved);
  for (const { action, changes } of events) {
    unit.record(action, { organizationId: organization.id, targetId: saved.id, changes, ...withMetadata(metadata) });
  }
  return unit.view(saved, organization);
}

function withMetadata(metadata: Record<string, unknown>): { metadata?: Record<string, unknown> } {
  return Object.keys(metadata).length > 0 ? { metadata } : {};
}

/**
 * Writes what sign-in, activation, password changes and erasure keep of a
 * user (failure counts, locks, activation, a tombstone), each of which
 * records an event of its own: the caller records it.
 */
export async function storeUser(unit: Unit, user: User): Promise<void> {
  await unit.tx.users.update(user);
}
