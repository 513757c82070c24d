import { z } from 'zod';
import { TenantryError } from '../../errors.js';
import type { SearchIndexState } from '../../ports/search-index.js';
import { searchIndexesDue } from '../../rules/search-index.js';
import { idSchema } from '../../schemas/common.js';
import { defineOperation } from '../operation.js';

/** What `maintenance.refreshSearch` answers. */
export interface SearchRefreshReport {
  /** The organizations whose index was built, with their users then. */
  rebuilt: SearchIndexState[];
  /** Those whose build could not start now, as writes of their users kept it waiting: due at the next refresh. */
  busy: string[];
}

/** The options of a refresh: `organizationId` builds that organization's index now, whatever its size. */
export const refreshSearchOptionsSchema = z.strictObject({ organizationId: idSchema.optional() }).default({});

/**
 * `maintenance.refreshSearch` (the operator and the system only): builds the
 * search index of each organization `policy.searchIndex` says is due, one
 * after another, or of the one named. A storage without an index (memory,
 * SQLite) has nothing to build. It changes no record, so it records no audit event.
 */
export const refreshSearch = defineOperation({
  name: 'maintenance.refreshSearch',
  input: z.tuple([refreshSearchOptionsSchema]),
  async execute(steps, [options]): Promise<SearchRefreshReport> {
    if (steps.actor.type === 'user') throw new TenantryError('FORBIDDEN', 'Only the operator refreshes the search');
    const { storage, policy } = steps.context;
    const { organizationId } = options;
    if (organizationId !== undefined) {
      const organization = await steps.transact((unit) => unit.tx.organizations.get(organizationId));
      if (!organization) throw new TenantryError('NOT_FOUND', `No organization ${organizationId}`);
    }
    const index = storage.searchIndex;
    const report: SearchRefreshReport = { rebuilt: [], busy: [] };
    if (!index) return report;
    const due =
      organizationId === undefined
        ? searchIndexesDue(await index.states(policy.searchIndex.fromUsers), policy.searchIndex).map(
            (state) => state.organizationId,
          )
        : [organizationId];
    for (const id of due) {
      const built = await index.rebuild(id);
      if (built) report.rebuilt.push(built);
      else report.busy.push(id);
    }
    return report;
  },
});
