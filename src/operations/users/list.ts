import { z } from 'zod';
import { listUsers as listPage } from '../../flows/user-list.js';
import { listUsersSchema } from '../../schemas/users.js';
import { defineOperation } from '../operation.js';

/** `users.list`: one page of an organization's users, searched, filtered and sorted by the storage's indexes. */
export const listUsers = defineOperation({
  name: 'users.list',
  input: z.tuple([listUsersSchema]),
  run: (unit, [query]) => listPage(unit, query),
});
