import { z } from 'zod';
import { type AuditExport, auditEventLine } from '../../audit-api.js';
import type { Unit } from '../../flows/unit.js';
import type { AuditQuery } from '../../ports/storage.js';
import { exportAuditOptionsSchema, exportAuditSchema } from '../../schemas/roles-audit.js';
import type { AuditEvent } from '../../types.js';
import { defineOperation, type Steps } from '../operation.js';

type ExportQuery = z.output<typeof exportAuditSchema>;

/** Where the export starts: the newest event its filters selected when it began, and its own audit event. */
interface Bound {
  top: AuditEvent | null;
  /** The `audit.exported` event, never part of the export it records. */
  ownEventId: string;
  startedAt: Date;
}

/**
 * `audit.export`: an organization's trail, newest first, page by page, for
 * those who administer it. The first step checks the rights, fixes the
 * bound and records `audit.exported`; each page is a step of its own.
 */
export const exportAudit = defineOperation({
  name: 'audit.export',
  input: z.tuple([exportAuditSchema, exportAuditOptionsSchema]),
  execute: async (steps, [query, options]): Promise<AuditExport> => {
    const bound = await steps.transact((unit) => begin(unit, query));
    return new TrailExport(steps, query, options.pageSize, bound);
  },
});

async function begin(unit: Unit, query: ExportQuery): Promise<Bound> {
  const organization = await unit.organizationFor(query.organizationId, 'administer');
  const [top] = await unit.tx.audit.list({ ...storageQuery(query), organizationId: organization.id, limit: 1 });
  const filters: Record<string, string> = {};
  if (query.action !== undefined) filters.action = query.action;
  if (query.targetId !== undefined) filters.targetId = query.targetId;
  if (query.after !== undefined) filters.after = query.after.toISOString();
  if (query.before !== undefined) filters.before = query.before.toISOString();
  unit.record('audit.exported', {
    organizationId: organization.id,
    targetId: null,
    metadata: { filters, newestEventId: top?.id ?? null },
  });
  return { top: top ?? null, ownEventId: (unit.events.at(-1) as AuditEvent).id, startedAt: unit.now };
}

function storageQuery(query: ExportQuery): Omit<AuditQuery, 'limit'> {
  return {
    organizationId: query.organizationId,
    action: query.action,
    targetId: query.targetId,
    after: query.after,
    before: query.before,
  };
}

class TrailExport implements AuditExport {
  readonly startedAt: Date;

  constructor(
    private readonly steps: Steps,
    private readonly query: ExportQuery,
    private readonly pageSize: number,
    private readonly bound: Bound,
  ) {
    this.startedAt = bound.startedAt;
  }

  /**
   * The events page by page, each page read in a transaction of its own that
   * checks the actor's rights again. Pages end at the bound's millisecond
   * (`before` just past it); within that millisecond, events the trail
   * orders ahead of the bound's event came later and are passed over.
   */
  async *pages(): AsyncGenerator<AuditEvent[], void, undefined> {
    const { top, ownEventId } = this.bound;
    if (top === null) return;
    const base: AuditQuery = {
      ...storageQuery(this.query),
      before: new Date(top.at.getTime() + 1),
      limit: this.pageSize,
    };
    let cursor: AuditQuery['cursor'];
    let aheadOfBound = true;
    for (;;) {
      const query = { ...base, cursor };
      const page = await this.steps.transact(async (unit) => {
        await unit.organizationFor(query.organizationId, 'administer');
        return unit.tx.audit.list(query);
      });
      const events: AuditEvent[] = [];
      for (const event of page) {
        if (aheadOfBound && (event.id === top.id || event.at.getTime() < top.at.getTime())) aheadOfBound = false;
        if (!aheadOfBound && event.id !== ownEventId) events.push(event);
      }
      if (events.length > 0) yield events;
      const last = page.at(-1);
      if (page.length < this.pageSize || last === undefined) return;
      cursor = { at: last.at.getTime(), id: last.id };
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<AuditEvent, void, undefined> {
    for await (const page of this.pages()) yield* page;
  }

  async *lines(): AsyncGenerator<string, void, undefined> {
    for await (const page of this.pages()) for (const event of page) yield auditEventLine(event);
  }

  stream(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    const pages = this.pages();
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const next = await pages.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value.map(auditEventLine).join('')));
        },
        async cancel() {
          await pages.return();
        },
      },
      // Nothing is read ahead of the reader: a page only when it asks.
      { highWaterMark: 0 },
    );
  }
}
