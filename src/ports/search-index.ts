/**
 * A search index a storage keeps apart from its users, brought up to date by
 * `maintenance.refreshSearch` rather than by every write (the search blocks
 * of PostgreSQL and SQLite). A user written since a build is still found: the index only makes
 * pages faster, and a storage without one answers the same pages.
 */

/** Where one organization's index stands. */
export interface SearchIndexState {
  organizationId: string;
  /** Its users. */
  users: number;
  /** Users written (added, renamed, re-addressed) since its index was built: all of them when it has none. */
  changed: number;
  /** Whether it has an index at all. */
  built: boolean;
}

/** The storage's side of the search index: where each organization stands, and a build. */
export interface SearchIndexStorage {
  /** Every organization of at least `minUsers` users, by id. */
  states(minUsers: number): Promise<SearchIndexState[]>;
  /**
   * Builds one organization's index afresh and replaces the old one at once;
   * undefined when it cannot finish now, because writes of users held it off
   * longer than the storage waits, or a user it read was erased meanwhile
   * (try again later).
   */
  rebuild(organizationId: string): Promise<SearchIndexState | undefined>;
}
