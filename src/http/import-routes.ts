import { z } from 'zod';
import type { ActorApi } from '../actor-api.js';
import { importTemplate } from '../import/columns.js';
import { parseInput } from '../schemas/parse.js';
import { HttpRefusal } from './request.js';
import { importReportResponse } from './response-schemas.js';
import type { Route } from './routing.js';

const importQuery = z.strictObject({
  mode: z.enum(['skip', 'update']).default('skip'),
  dryRun: z.boolean().default(false),
  invite: z.boolean().default(false),
});

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
  api: ActorApi,
  input: Omit<Parameters<ActorApi['imports']['run']>[0], 'onProgress'>,
  errorBody: (error: unknown) => unknown,
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const report = await api.imports.run({
          ...input,
          onProgress: (progress) => line({ type: 'progress', ...progress }),
        });
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
      summary: 'The CSV header line of an import file',
      tag: 'imports',
      access: 'public',
      returns: 'A CSV file with the header line',
      run: async () =>
        new Response(`${importTemplate()}\r\n`, {
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
      run: async ({ api, params, query, request, um }) => {
        const options = { ...parseInput(importQuery, query), organizationId: params.organizationId as string };
        const csv = csvOf(request, um.policy.import.maxBytes);
        if ((request.headers.get('accept') ?? '').includes('application/x-ndjson')) {
          return streamedImport(api, { ...options, csv }, errorBody);
        }
        return api.imports.run({ ...options, csv });
      },
    },
    {
      method: 'GET',
      path: '/organizations/{organizationId}/imports',
      operationId: 'imports.list',
      response: z.array(importReportResponse),
      summary: "The organization's import history, newest first",
      tag: 'imports',
      access: 'actor',
      returns: 'Import reports',
      run: ({ api, params }) => api.imports.list(params.organizationId as string),
    },
    {
      method: 'GET',
      path: '/imports/{importId}',
      operationId: 'imports.get',
      response: importReportResponse,
      summary: 'One import report',
      tag: 'imports',
      access: 'actor',
      returns: 'The import report',
      run: ({ api, params }) => api.imports.get(params.importId as string),
    },
  ];
}
