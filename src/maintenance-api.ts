import type { z } from 'zod';
import { type PurgeCounts, type PurgeReport, purge, type purgeOptionsSchema } from './operations/maintenance/purge.js';
import {
  refreshSearch,
  type refreshSearchOptionsSchema,
  type SearchRefreshReport,
} from './operations/maintenance/refresh-search.js';
import type { Operation, OperationResult } from './operations/operation.js';

export type { PurgeCounts, PurgeReport, SearchRefreshReport };

/** The options of `maintenance.refreshSearch`: `organizationId`, to build that one organization's index now. */
export type RefreshSearchOptions = z.input<typeof refreshSearchOptionsSchema>;

/** The options of `maintenance.purge`: `now`, the moment retention counts back from (default: the clock's time). */
export type PurgeOptions = z.input<typeof purgeOptionsSchema>;

/**
 * `um.maintenance` (as the system) and `um.as({ type: 'operator' }).maintenance`:
 * housekeeping for a job. Anyone else is refused with `FORBIDDEN`.
 */
export interface MaintenanceApi {
  /**
   * Removes what `policy.retention` says is over: sessions ended, one-time
   * tokens, challenges, SSO sign-ins and assertion ids used or expired
   * longer ago than its windows, and, when their periods are set, import
   * reports and audit events older than them; also the rate limiter's keys
   * whose allowance has recovered. Nothing live goes. It works in batches of
   * `retention.batchSize` rows, each in a transaction of its own, and
   * records one `maintenance.purged` audit event with the counts. Run it
   * daily (`tenantry purge` from cron).
   */
  purge(options?: PurgeOptions): Promise<PurgeReport>;
  /**
   * Builds the search index of the organizations `policy.searchIndex` says
   * are due (PostgreSQL: those of 10,000 users or more without one, or with
   * 1,000 users added or renamed since its build), so that a search for any
   * term pages fast. Users written since a build are found all the same; the
   * index only makes pages faster. With `organizationId`, builds that one now,
   * whatever its size (`NOT_FOUND` if it does not exist). Storage without an
   * index (memory, SQLite) has nothing to build. `tenantry purge` runs it
   * after the purge; a build of 100,000 users took 1.1 to 1.5 s on a
   * PostgreSQL server.
   */
  refreshSearch(options?: RefreshSearchOptions): Promise<SearchRefreshReport>;
}

type Perform = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `maintenance` over the orchestrator. */
export function maintenanceApi(perform: Perform): MaintenanceApi {
  return {
    purge: (options) => perform(purge, options),
    refreshSearch: (options) => perform(refreshSearch, options),
  };
}
