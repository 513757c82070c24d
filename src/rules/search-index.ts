/** When organizations get a search index, and when it is rebuilt (`policy.searchIndex`). */
export interface SearchIndexSettings {
  /** Organizations with fewer users search well without one. */
  fromUsers: number;
  /** Users changed since the last build that make the next one due. */
  rebuildAfterChanges: number;
}

/**
 * The organizations a refresh of the search index rebuilds, in the order
 * given: those of at least `fromUsers` users that have none yet, or whose
 * users changed since it was built number `rebuildAfterChanges` or more
 * (they are searched apart from the index, at a cost that grows with them).
 */
export function searchIndexesDue<State extends { users: number; changed: number; built: boolean }>(
  states: readonly State[],
  settings: SearchIndexSettings,
): State[] {
  return states.filter(
    (state) => state.users >= settings.fromUsers && (!state.built || state.changed >= settings.rebuildAfterChanges),
  );
}
