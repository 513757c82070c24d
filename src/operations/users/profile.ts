import { z } from 'zod';
import { emailTakenError } from '../../errors.js';
import { checkFieldValues, profileEdits, withFieldValues } from '../../flows/profile-fields.js';
import { enforce } from '../../flows/unit.js';
import { changeableUser } from '../../flows/user-target.js';
import { saveUser } from '../../flows/user-writes.js';
import { checkProfileEdit } from '../../rules/profile-edit.js';
import { idSchema } from '../../schemas/common.js';
import { changeEmailSchema, updateUserSchema } from '../../schemas/users.js';
import type { User } from '../../types.js';
import { defineOperation } from '../operation.js';
import { recordingTakenAddress } from './taken-address.js';

/**
 * `users.update`: the profile (names, phone, preferences, the installation's
 * profile fields), by the user themselves or an administrator, each value
 * by whom the policy (`policy.profile`) or the field (`editableBy`) lets change it.
 */
export const updateUser = defineOperation({
  name: 'users.update',
  input: z.tuple([idSchema, updateUserSchema]),
  async run(unit, [id, data]) {
    const { user, organization } = await changeableUser(unit, id, 'profile');
    const { policy, fields } = unit.context;
    const updated: User = {
      ...user,
      firstName: data.firstName ?? user.firstName,
      lastName: data.lastName ?? user.lastName,
      phone: data.phone === undefined ? user.phone : data.phone,
      preferences: data.preferences ?? user.preferences,
      emailNotifications: data.emailNotifications ?? user.emailNotifications,
      fields: data.fields ? withFieldValues(user.fields, checkFieldValues(fields, data.fields)) : user.fields,
    };
    const self = unit.facts.type === 'user' && unit.facts.userId === user.id;
    enforce(checkProfileEdit(self, profileEdits(policy, fields, user, updated)));
    return saveUser(unit, user, updated, organization);
  },
});

/**
 * `users.changeEmail`: by an administrator, never by the user themselves.
 * Open invitation and reset links stop working, and the old address is told.
 */
export const changeEmail = defineOperation({
  name: 'users.changeEmail',
  input: z.tuple([idSchema, changeEmailSchema]),
  execute: (steps, [id, email]) =>
    recordingTakenAddress(
      steps,
      'users.changeEmail',
      async (unit) => (await unit.tx.users.get(id))?.organizationId,
      () =>
        steps.transact(async (unit) => {
          const { user, organization } = await changeableUser(unit, id, 'email');
          const holder = await unit.tx.users.getByEmail(email);
          if (holder && holder.id !== user.id) throw emailTakenError(email);
          const view = await saveUser(unit, user, { ...user, email }, organization);
          if (view.email === user.email) return view;
          await unit.tx.tokens.revokeForUser(user.id, unit.now, 'invitation');
          await unit.tx.tokens.revokeForUser(user.id, unit.now, 'password-reset');
          unit.send({ kind: 'email-changed', user, organization });
          return view;
        }),
    ),
});
