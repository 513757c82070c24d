import { emailTakenError } from '../errors.js';
import type { PendingMail } from '../mail/delivery.js';
import { checkAccessChange } from '../rules/access-change.js';
import { checkNewExpiry } from '../rules/user-conditions.js';
import { parseInput } from '../schemas/parse.js';
import { addUserSchema, changeEmailSchema, setAccessSchema, updateUserSchema } from '../schemas/users.js';
import type { Organization, User, UserView } from '../types.js';
import { changedFields } from './admin-guard.js';
import { issueInvitation } from './invitations.js';
import { endSessions } from './session-validation.js';
import { enforce, type Unit } from './unit.js';
import { type NewUserFields, newUser } from './user-records.js';
import { changeableUser, changedUser, readableUser } from './user-target.js';

const accessFields = ['permissions', 'roles', 'canSignIn'] as const;

/** `users.add`: a new pending user in an organization the actor administers. */
export async function addUser(unit: Unit, input: unknown): Promise<{ user: UserView; invitation: PendingMail | null }> {
  const { organizationId, invite, ...fields } = parseInput(addUserSchema, input);
  const organization = await unit.organizationFor(organizationId, 'administer', { forUpdate: true });
  enforce(checkNewExpiry(fields.expiresAt, unit.now, 'expiresAt'));
  await checkNewUserGrants(unit, organization, fields);
  if (await unit.tx.users.getByEmail(fields.email)) {
    throw emailTakenError(fields.email);
  }
  return createUser(unit, organization, fields, invite);
}

type Grants = { permissions: readonly string[]; roles: readonly string[] };

/** A change of a user's roles and permissions must be the actor's to make, in this organization. */
export async function checkGrantChange(
  unit: Unit,
  organization: Organization,
  before: Grants,
  after: Grants,
): Promise<void> {
  enforce(
    checkAccessChange({
      actor: unit.facts,
      organization,
      catalog: unit.context.catalog,
      roles: await unit.rolesOf(organization),
      before,
      after,
    }),
  );
}

/** The roles and permissions a new user is to start with must be the actor's to give, in this organization. */
export function checkNewUserGrants(unit: Unit, organization: Organization, grants: Grants): Promise<void> {
  return checkGrantChange(unit, organization, { permissions: [], roles: [] }, grants);
}

/**
 * Writes a new pending user whose fields have passed every check (the address
 * is free, the grants are the actor's to give), records it, and issues the
 * invitation when asked and the user can receive it.
 */
export async function createUser(
  unit: Unit,
  organization: Organization,
  fields: NewUserFields,
  invite: boolean,
  origin: 'admin' | 'bulk' = 'admin',
): Promise<{ user: UserView; invitation: PendingMail | null }> {
  const user = newUser(unit.now, organization.id, fields);
  await unit.tx.users.insert(user);
  unit.record('user.created', {
    organizationId: organization.id,
    targetId: user.id,
    changes: changedFields({} as User, user, [
      'email',
      'firstName',
      'lastName',
      'permissions',
      'roles',
      'canSignIn',
      'expiresAt',
    ]),
  });
  const invitation =
    invite && user.canSignIn && user.emailNotifications
      ? (await issueInvitation(unit, user, organization, origin)).mail
      : null;
  return { user: await unit.view(user, organization), invitation };
}

/** `users.get`. */
export async function getUser(unit: Unit, id: unknown): Promise<UserView> {
  const { user, organization } = await readableUser(unit, id);
  return unit.view(user, organization);
}

/** `users.update`: profile fields, by the user themselves or an administrator. */
export async function updateUser(unit: Unit, id: unknown, input: unknown): Promise<UserView> {
  const data = parseInput(updateUserSchema, input);
  const { user, organization } = await changeableUser(unit, id, 'profile');
  const updated: User = {
    ...user,
    firstName: data.firstName ?? user.firstName,
    lastName: data.lastName ?? user.lastName,
    phone: data.phone === undefined ? user.phone : data.phone,
    preferences: data.preferences ?? user.preferences,
    emailNotifications: data.emailNotifications ?? user.emailNotifications,
  };
  return saveUser(unit, user, updated, organization, 'user.updated', [
    'firstName',
    'lastName',
    'phone',
    'preferences',
    'emailNotifications',
  ]);
}

/**
 * `users.changeEmail`: by an administrator, never by the user themselves.
 * Open invitation and reset links stop working, and the old address is told.
 */
export async function changeEmail(
  unit: Unit,
  id: unknown,
  input: unknown,
): Promise<{ user: UserView; notice: PendingMail | null }> {
  const email = parseInput(changeEmailSchema, input);
  const { user, organization } = await changeableUser(unit, id, 'email');
  const holder = await unit.tx.users.getByEmail(email);
  if (holder && holder.id !== user.id) {
    throw emailTakenError(email);
  }
  const view = await saveUser(unit, user, { ...user, email }, organization, 'user.email.changed', ['email']);
  if (view.email === user.email) return { user: view, notice: null };
  await unit.tx.tokens.revokeForUser(user.id, unit.now, 'invitation');
  await unit.tx.tokens.revokeForUser(user.id, unit.now, 'password-reset');
  return { user: view, notice: { kind: 'email-changed', user, organization } };
}

/** `users.setAccess`: permissions, roles and the right to sign in, by an administrator. */
export async function setAccess(unit: Unit, id: unknown, input: unknown): Promise<UserView> {
  const data = parseInput(setAccessSchema, input);
  const { user, organization, updated } = await changedUser(unit, id, 'access', (user) => ({
    ...user,
    permissions: data.permissions ?? user.permissions,
    roles: data.roles ?? user.roles,
    canSignIn: data.canSignIn ?? user.canSignIn,
  }));
  await checkGrantChange(unit, organization, user, updated);
  const view = await saveUser(unit, user, updated, organization, 'user.permissions.changed', accessFields);
  if (user.canSignIn && !updated.canSignIn) {
    await endSessions(unit, user.id, organization.id, 'login removed');
    await unit.tx.tokens.revokeForUser(user.id, unit.now);
  }
  return view;
}

/** Writes a changed user with its audit event; an unchanged user is returned as is. */
export async function saveUser(
  unit: Unit,
  before: User,
  after: User,
  organization: Parameters<Unit['view']>[1],
  action: string,
  fields: readonly (keyof User & string)[],
): Promise<UserView> {
  const changes = changedFields(before, after, fields);
  if (Object.keys(changes).length === 0) return unit.view(before, organization);
  const saved = { ...after, updatedAt: unit.now };
  await unit.tx.users.update(saved);
  unit.record(action, { organizationId: organization.id, targetId: saved.id, changes });
  return unit.view(saved, organization);
}
