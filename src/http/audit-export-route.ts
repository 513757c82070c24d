import { TenantryError } from '../errors.js';
import { exportAudit } from '../operations/audit/export.js';
import { exportAuditSchema } from '../schemas/roles-audit.js';
import { auditEventResponse } from './response-schemas.js';
import type { Route, RouteCall } from './routing.js';

/**
 * The export's byte stream, reported to `onError` when it fails mid-way for
 * an unexpected reason (a refusal, such as rights lost between pages, is
 * expected). Either way the stream errors, so the server ends the response
 * without its last chunk and no client takes a cut export for a whole one.
 */
function reported(source: ReadableStream<Uint8Array>, onError: (error: unknown) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          if (!(error instanceof TenantryError)) onError(error);
          throw error;
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * `GET /audit/export`: the audit trail as NDJSON (`audit.export`), streamed a
 * page at a time as the client reads, with `GET /audit`'s filters. Refusals
 * answer before the first byte, as JSON errors.
 */
export function auditExportRoute(onError: (error: unknown, request: Request) => void): Route {
  return {
    method: 'GET',
    path: '/audit/export',
    operationId: 'audit.export',
    summary:
      "Export an organization's audit trail as NDJSON, newest first, with the filters of GET /audit; recorded as `audit.exported`",
    tag: 'audit',
    access: 'actor',
    query: exportAuditSchema,
    produces: 'application/x-ndjson',
    response: auditEventResponse,
    returns:
      'One audit event per line (`application/x-ndjson`), streamed; the body ends early, without its last chunk, if the export fails mid-way',
    async run({ perform, query, request }: RouteCall) {
      const trail = await perform(exportAudit, [query]);
      const body = reported(trail.stream(), (error) => onError(error, request));
      return new Response(body, {
        headers: {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    },
  };
}
