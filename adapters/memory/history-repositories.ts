import type {
  AuditEvent,
  AuditQuery,
  AuditRepository,
  ImportReport,
  ImportRepository,
} from '../../src/adapter-kit/index.js';
import { copy } from './copy.js';

/** What the audit trail and the import history are kept in. */
export interface HistoryTables {
  audit: AuditEvent[];
  imports: Map<string, ImportReport>;
}

/** The transaction's bookkeeping: a check that it is still open, and the steps that undo its writes. */
interface Journal {
  live(): void;
  restore<K, V>(map: Map<K, V>, key: K): void;
  undo: (() => void)[];
}

/** The audit trail and the import history over the memory tables, inside one transaction. */
export function historyRepositories(
  tables: HistoryTables,
  { live, restore, undo }: Journal,
): { audit: AuditRepository; imports: ImportRepository } {
  const putReport = (report: ImportReport, isNew: boolean) => {
    live();
    if (isNew === tables.imports.has(report.id)) throw new Error(isNew ? 'duplicate import' : 'unknown import');
    restore(tables.imports, report.id);
    tables.imports.set(report.id, copy(report));
  };
  return {
    audit: {
      async insert(events) {
        live();
        const length = tables.audit.length;
        undo.push(() => {
          tables.audit.length = length;
        });
        tables.audit.push(...events.map(copy));
      },
      async list(query) {
        live();
        return listAudit(tables.audit, query).map(copy);
      },
      async redactChanges(targetId, fields, replacement) {
        live();
        tables.audit.forEach((event, index) => {
          if (event.targetId !== targetId || !fields.some((field) => field in event.changes)) return;
          const changes = { ...event.changes };
          for (const field of fields) {
            if (changes[field]) changes[field] = { before: replacement, after: replacement };
          }
          undo.push(() => {
            tables.audit[index] = event;
          });
          tables.audit[index] = { ...event, changes };
        });
      },
    },
    imports: {
      insert: async (report) => putReport(report, true),
      update: async (report) => putReport(report, false),
      async get(id) {
        live();
        const report = tables.imports.get(id);
        return report ? copy(report) : null;
      },
      async list(organizationId, limit) {
        live();
        return [...tables.imports.values()]
          .filter((report) => report.organizationId === organizationId)
          .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1))
          .slice(0, limit)
          .map(copy);
      },
    },
  };
}

function listAudit(events: readonly AuditEvent[], query: AuditQuery): AuditEvent[] {
  const newestFirst = (a: AuditEvent, b: AuditEvent) =>
    b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  const cursor = query.cursor;
  return events
    .filter(
      (event) =>
        event.organizationId === query.organizationId &&
        (query.action === undefined || event.action === query.action) &&
        (query.targetId === undefined || event.targetId === query.targetId) &&
        (query.after === undefined || event.at.getTime() >= query.after.getTime()) &&
        (query.before === undefined || event.at.getTime() < query.before.getTime()) &&
        (cursor === undefined ||
          event.at.getTime() < cursor.at ||
          (event.at.getTime() === cursor.at && event.id < cursor.id)),
    )
    .sort(newestFirst)
    .slice(0, query.limit);
}
