import { z } from 'zod';
import { getImport, listImports } from '../operations/imports/read.js';
import { ImportUpload, importRunSchema, runImport } from '../operations/imports/run.js';
import { parseInput } from '../schemas/parse.js';
import { operationRoute } from './operation-route.js';
import { HttpRefusal } from './request.js';
import { importReportResponse } from './response-schemas.js';
import type { Route, RouteCall } from './routing.js';

/** The options of `imports.run` but the organization, which the path names. */
const importQuery = importRunSchema.omit({ organizationId: true });

/** The CSV upload, unread, as a byte stream; a declared size over the policy's limit is refused up front. */
function csvOf(request: Request, maxBytes: number): ReadableStream<Uint8Array> | string {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw new HttpRefusal(413, `The file is larger than ${maxBytes} bytes`);
  return request.body ?? '';
}

/**
 * Runs an import and streams its progress as NDJSON: a `{"type":"progress",…}`
 * line as each batch finishes, then one `{"type":"report",…}` line, or
 * `{"type":"error",…}` if the file could not be imported.
 */
function streamedImport(
  run: (onProgress: (progress: object) => void) => Promise<unknown>,
  errorBody: (error: unknown) => unknown,
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const report = await run((progress) => line({ type: 'progress', ...progress }));
        line({ type: 'report', report });
      } catch (error) {
        line({ type: 'error', ...(errorBody(error) as object) });
      }
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8' } });
}

/**
 * The routes of `um.as(actor).imports`, and the template. The upload is the
 * CSV file itself as the request body (any content type), not a form.
 */
export function importRoutes(errorBody: (error: unknown) => unknown): Route[] {
  return [
    {
      method: 'GET',
      path: '/imports/template',
      operationId: 'importTemplate',
      summary:
        'The CSV header line of an import file: the built-in columns, a field.<key> column per profile field and an access.<type> column per resource type',
      tag: 'imports',
      access: 'public',
      returns: 'A CSV file with the header line',
      run: async ({ um }: RouteCall) =>
        new Response(`${um.importTemplate()}\r\n`, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="users-template.csv"',
          },
        }),
    },
    {
      method: 'POST',
      path: '/organizations/{organizationId}/imports',
      operationId: 'imports.run',
      response: importReportResponse,
      summary:
        'Import users from the CSV file in the body. With `Accept: application/x-ndjson` the answer streams progress lines, then the report',
      tag: 'imports',
      access: 'actor',
      query: importQuery,
      rawBody: true,
      status: 201,
      returns: 'The import report, kept in the history',
      run: async ({ perform, params, query, request, um }: RouteCall) => {
        const options = { ...parseInput(importQuery, query), organizationId: params.organizationId };
        const csv = csvOf(request, um.policy.import.maxBytes);
        const run = (onProgress?: (progress: object) => void) =>
          perform(runImport, [options, new ImportUpload(csv, onProgress)]);
        if ((request.headers.get('accept') ?? '').includes('application/x-ndjson')) {
          return streamedImport(run, errorBody);
        }
        return run();
      },
    },
    operationRoute(listImports, {
      method: 'GET',
      path: '/organizations/{organizationId}/imports',
      response: z.array(importReportResponse),
      summary: "The organization's import history, newest first",
      tag: 'imports',
      access: 'actor',
      returns: 'Import reports',
      args: ({ params }) => [params.organizationId],
    }),
    operationRoute(getImport, {
      method: 'GET',
      path: '/imports/{importId}',
      response: importReportResponse,
      summary: 'One import report',
      tag: 'imports',
      access: 'actor',
      returns: 'The import report',
      args: ({ params }) => [params.importId],
    }),
  ];
}
