import { z } from 'zod';
import { sessionView } from '../../flows/sessions.js';
import { ownOrAdministeredUser, readableUser } from '../../flows/user-target.js';
import { idSchema } from '../../schemas/common.js';
import { defineOperation } from '../operation.js';

/** `users.get`: themselves, or a user of an organization the actor administers. */
export const getUser = defineOperation({
  name: 'users.get',
  input: z.tuple([idSchema]),
  async run(unit, [id]) {
    const { user, organization } = await readableUser(unit, id);
    return unit.view(user, organization);
  },
});

/** `users.sessions`: the user's live sessions, most recently used first, for themselves or an admin. */
export const listUserSessions = defineOperation({
  name: 'users.sessions',
  input: z.tuple([idSchema]),
  async run(unit, [id]) {
    const { user } = await ownOrAdministeredUser(unit, id);
    return (await unit.tx.sessions.listLive(user.id, unit.now)).map(sessionView);
  },
});
