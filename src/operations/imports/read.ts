import { z } from 'zod';
import { notFound, type Unit } from '../../flows/unit.js';
import { idSchema } from '../../schemas/common.js';
import type { ImportReport } from '../../types.js';
import { defineOperation } from '../operation.js';

/** A report as it reads now: one still `running` that nothing updated for `staleAfterMs` was interrupted. */
function asOfNow(unit: Unit, report: ImportReport): ImportReport {
  const stale = unit.now.getTime() - report.updatedAt.getTime() > unit.context.policy.import.staleAfterMs;
  return report.status === 'running' && stale ? { ...report, status: 'interrupted' } : report;
}

/** `imports.list`: an organization's import history, newest first. */
export const listImports = defineOperation({
  name: 'imports.list',
  input: z.tuple([idSchema]),
  async run(unit, [organizationId]): Promise<ImportReport[]> {
    const organization = await unit.organizationFor(organizationId, 'administer');
    return (await unit.tx.imports.list(organization.id, 100)).map((report) => asOfNow(unit, report));
  },
});

/** `imports.get`: one report, to those who administer its organization. */
export const getImport = defineOperation({
  name: 'imports.get',
  input: z.tuple([idSchema]),
  async run(unit, [id]): Promise<ImportReport> {
    const report = await unit.tx.imports.get(id);
    if (!report) throw notFound();
    await unit.organizationFor(report.organizationId, 'administer');
    return asOfNow(unit, report);
  },
});
