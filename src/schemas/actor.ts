import { z } from 'zod';
import { idSchema } from './common.js';

/** Who acts: the operator, a system job, or a user. */
export const actorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('operator') }),
  z.object({ type: z.literal('system') }),
  z.object({ type: z.literal('user'), userId: idSchema }),
]);
