import type { Storage, StorageTransaction } from '../../src/index.js';
import type { CountRows, Watched } from './retention-simulation.js';

/**
 * A storage that counts the rows of the watched tables as its transactions
 * write and purge them (what commits only), for a storage without SQL to
 * count with: the memory storage, whose snapshot is too slow to take every
 * simulated night at a million rows. The test checks it against a snapshot
 * at the end.
 */
export function rowLedger(storage: Storage): { storage: Storage; countRows: CountRows } {
  const rows: Record<Watched, number> = { sessions: 0, tokens: 0, auditEvents: 0 };
  const purged = { sessions: 'sessions', tokens: 'tokens', auditEvents: 'auditEvents' } as const;
  const counted: Storage = {
    ...storage,
    transaction: async (work) => {
      const pending: Record<Watched, number> = { sessions: 0, tokens: 0, auditEvents: 0 };
      const counting = async (table: Watched, added: number, write: Promise<void>) => {
        await write;
        pending[table] += added;
      };
      const result = await storage.transaction((tx) =>
        work({
          ...tx,
          sessions: { ...tx.sessions, insert: (session) => counting('sessions', 1, tx.sessions.insert(session)) },
          tokens: {
            ...tx.tokens,
            insert: (token) => counting('tokens', 1, tx.tokens.insert(token)),
            insertMany: (tokens) => counting('tokens', tokens.length, tx.tokens.insertMany(tokens)),
          },
          audit: { ...tx.audit, insert: (events) => counting('auditEvents', events.length, tx.audit.insert(events)) },
          retention: {
            purge: async (kind, before, limit) => {
              const removed = await tx.retention.purge(kind, before, limit);
              const watched = (purged as Record<string, Watched | undefined>)[kind];
              if (watched) pending[watched] -= removed;
              return removed;
            },
          },
        } satisfies StorageTransaction),
      );
      for (const table of Object.keys(rows) as Watched[]) rows[table] += pending[table];
      return result;
    },
  };
  if (storage.readSession) counted.readSession = storage.readSession.bind(storage);
  return { storage: counted, countRows: async () => ({ ...rows }) };
}
