import { z } from 'zod';
import { listAudit as listPage } from '../../flows/audit.js';
import { listAuditSchema } from '../../schemas/roles-audit.js';
import { defineOperation } from '../operation.js';

/** `audit.list`: an organization's audit trail, newest first, for those who administer it. */
export const listAudit = defineOperation({
  name: 'audit.list',
  input: z.tuple([listAuditSchema]),
  run: (unit, [query]) => listPage(unit, query),
});
