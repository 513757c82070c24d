import { z } from 'zod';
import { sharedSchemas } from './response-schemas.js';
import type { Route } from './routing.js';

type JsonSchema = Record<string, unknown>;

/**
 * Shared definitions (such as the recursive JSON of attributes), moved from
 * each schema's `$defs` to `components.schemas` under a per-operation prefix.
 */
type Definitions = Record<string, JsonSchema>;

/** A zod schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses), describing the input it accepts. */
function jsonSchemaOf(schema: z.ZodType, definitions: Definitions, prefix: string): JsonSchema {
  const {
    $schema: _dialect,
    $defs,
    ...body
  } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    metadata: sharedSchemas,
    override: (context) => {
      // Dates travel as ISO 8601 text.
      if (context.zodSchema._zod.def.type === 'date')
        Object.assign(context.jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as JsonSchema & { $defs?: Definitions };
  // Named schemas (User, Organization, …) are shared; zod's anonymous ones (`__schema0`) belong to one operation.
  const componentName = (name: string) => (name.startsWith('__') ? `${prefix}.${name}` : name);
  const moved = (value: unknown): JsonSchema =>
    JSON.parse(
      JSON.stringify(value).replace(
        /"#\/\$defs\/([\w.-]+)"/g,
        (_reference, name: string) => `"#/components/schemas/${componentName(name)}"`,
      ),
    );
  for (const [name, definition] of Object.entries($defs ?? {})) definitions[componentName(name)] = moved(definition);
  return moved(body);
}

function parametersOf(route: Route, definitions: Definitions): JsonSchema[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (!route.query) return path;
  const query = jsonSchemaOf(route.query, definitions, route.operationId) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  const required = new Set(query.required ?? []);
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name) && !('default' in schema),
    schema,
    ...(JSON.stringify(schema).includes('"array"') ? { style: 'form', explode: true } : {}),
  }));
  return [...path, ...inQuery];
}

function requestBodyOf(route: Route, definitions: Definitions): JsonSchema | undefined {
  if (route.operationId === 'imports.run') {
    return {
      required: true,
      description: 'The CSV file (UTF-8, `,` or `;`), with the header line of `GET /imports/template`',
      content: { 'text/csv': { schema: { type: 'string' } } },
    };
  }
  if (!route.body) return undefined;
  return {
    required: true,
    content: { 'application/json': { schema: jsonSchemaOf(route.body, definitions, route.operationId) } },
  };
}

function responsesOf(route: Route, definitions: Definitions): JsonSchema {
  const status = String(route.status ?? 200);
  const success =
    status === '204'
      ? { description: route.returns }
      : {
          description: route.returns,
          content: {
            [route.produces ?? 'application/json']: {
              schema: route.response ? jsonSchemaOf(route.response, definitions, `${route.operationId}.response`) : {},
            },
          },
        };
  const errors: JsonSchema = { '400': { $ref: '#/components/responses/Error' } };
  if (route.access !== 'public') errors['401'] = { $ref: '#/components/responses/Error' };
  if (route.access === 'actor') {
    errors['403'] = { $ref: '#/components/responses/Error' };
    errors['404'] = { $ref: '#/components/responses/Error' };
  }
  // Public changes draw on allowances per client and account (and on the bound on password hashing).
  if (route.access === 'public' && route.method === 'POST') errors['429'] = rateLimitedResponse;
  return { [status]: success, ...errors, default: { $ref: '#/components/responses/Error' } };
}

const rateLimitedResponse = {
  description: 'RATE_LIMITED: too many attempts from this client or for this account; try again after `Retry-After`',
  headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A library error code such as `LAST_ADMIN`, or an HTTP-level one' },
        message: { type: 'string' },
        details: { type: 'object', description: 'Safe details, such as the validation issues' },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of the API the fetch handler serves, built from
 * its route table and the same zod schemas the library parses input with.
 */
export function openApiDocument(
  routes: readonly Route[],
  options: { basePath: string; cookieName: string | null; title?: string; version?: string },
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const definitions: Definitions = {};
  const security = [{ bearer: [] }, ...(options.cookieName ? [{ cookie: [] }] : [])];
  for (const route of routes) {
    const body = requestBodyOf(route, definitions);
    const parameters = parametersOf(route, definitions);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, JsonSchema>)[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      security: route.access === 'public' ? [] : security,
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responsesOf(route, definitions),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'tenantry',
      version: options.version ?? '1',
      description:
        'Tenant user management: organizations, users, permissions, invitations, sign-in, imports and audit.',
    },
    servers: [{ url: options.basePath || '/' }],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The session token from signing in' },
        ...(options.cookieName
          ? { cookie: { type: 'apiKey', in: 'cookie', name: options.cookieName, description: 'The session cookie' } }
          : {}),
      },
      schemas: { Error: errorSchema, ...definitions },
      responses: {
        Error: {
          description: 'The request was refused; `error.code` says why',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
