import { exportAudit } from './operations/audit/export.js';
import { listAudit } from './operations/audit/list.js';
import type { Operation, OperationResult } from './operations/operation.js';
import type { ExportAuditInput, ExportAuditOptions, ListAuditInput } from './schemas/roles-audit.js';
import type { AuditEvent, AuditPage } from './types.js';

/**
 * An export of an organization's audit trail under way: the events its
 * filters select, newest first, read from storage a page at a time as they
 * are consumed, never the whole trail in memory.
 *
 * Consume it one of three ways: `for await (const event of trail)` for the
 * events, {@link AuditExport.lines} for NDJSON text, or
 * {@link AuditExport.stream} for NDJSON bytes with backpressure (a page is
 * read only when the reader asks for more; cancelling stops the reads).
 *
 * Each page is read in a short transaction of its own, with the actor's
 * right to the trail checked again: an actor who loses it mid-export gets a
 * `TenantryError` (`FORBIDDEN`, or `NOT_FOUND` once the organization is out
 * of their reach) from the iteration, and a stream errors.
 *
 * The export holds the events recorded before it began: its upper bound is
 * the newest event its filters selected when `audit.export` answered.
 * Events recorded since are not included, even in the same millisecond; the
 * pages follow the trail's keyset order (time, then id), so none within the
 * bound is skipped or given twice however slowly it is read. (A change whose
 * transaction was still open when the export began may appear if it is
 * older than where the export has got to.) Events removed meanwhile (by
 * retention) are not given; erasure's redactions show in pages read after it.
 *
 * An export may be consumed again: each consumption reads the trail anew,
 * within the same bound.
 */
export interface AuditExport extends AsyncIterable<AuditEvent> {
  /** When the export began: the moment of its `audit.exported` event. */
  readonly startedAt: Date;
  /** The events as NDJSON lines, each the JSON of {@link auditEventLine}, ending with `\n`. */
  lines(): AsyncIterable<string>;
  /**
   * The events as NDJSON in UTF-8, a chunk per page: a pull-based stream
   * that reads a page only when its reader wants more, and stops reading
   * when cancelled (a client that went away). A failure mid-way errors the
   * stream, so a cut export never looks complete.
   */
  stream(): ReadableStream<Uint8Array>;
}

/**
 * One audit event as a line of an export: JSON with its fields in this
 * order, dates as ISO 8601 text in UTC, ending with `\n`:
 * `id`, `at`, `actor` (`{ type }`, with `userId` for a user),
 * `organizationId`, `action`, `targetId` (or null), `changes` (field →
 * `{ before, after }`) and `metadata`, the last two as stored.
 */
export function auditEventLine(event: AuditEvent): string {
  const actor = event.actor.type === 'user' ? { type: 'user', userId: event.actor.userId } : { type: event.actor.type };
  const line = {
    id: event.id,
    at: event.at.toISOString(),
    actor,
    organizationId: event.organizationId,
    action: event.action,
    targetId: event.targetId,
    changes: event.changes,
    metadata: event.metadata,
  };
  return `${JSON.stringify(line)}\n`;
}

/** `um.as(actor).audit`: an organization's audit trail, for those who administer it. */
export interface AuditApi {
  /** A page of the trail, newest first, with filters, and the cursor of the next page. */
  list(query: ListAuditInput): Promise<AuditPage>;
  /**
   * The whole trail the filters select (`organizationId`, and optionally
   * `action`, `targetId`, `after` inclusive, `before` exclusive), newest
   * first, to stream out before retention removes old events: see
   * {@link AuditExport}. For those who administer the organization, as
   * `audit.list`. The rights are checked and the upper bound fixed before it
   * answers, so a refusal (`FORBIDDEN`, `NOT_FOUND`, `VALIDATION_FAILED`)
   * comes before any event is read.
   *
   * Exporting is audited: the call records one `audit.exported` event in
   * the organization's trail, with the filters in its metadata, whether or
   * not the export is then read to its end. That event is not part of the
   * export it records. `options.pageSize` sets how many events each
   * transaction reads (default 500).
   *
   * @example
   * ```ts
   * const trail = await um.as(actor).audit.export({ organizationId, before: new Date('2025-01-01') });
   * await pipeline(Readable.fromWeb(trail.stream()), createWriteStream('audit.ndjson'));
   * ```
   */
  export(query: ExportAuditInput, options?: ExportAuditOptions): Promise<AuditExport>;
}

type Perform = <Op extends Operation>(operation: Op, ...args: unknown[]) => Promise<OperationResult<Op>>;

/** `audit` over the orchestrator. */
export function auditApi(perform: Perform): AuditApi {
  return {
    list: (query) => perform(listAudit, query),
    export: (query, options) => perform(exportAudit, query, options),
  };
}
