import { z } from 'zod';
import { TenantryError } from '../errors.js';

/** An HTTP-level refusal that is not one of the library's error codes (413, 415). */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads a request's body as text, refusing more than `limit` bytes before reading them all. */
export async function readText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(limit: number): HttpRefusal {
  return new HttpRefusal(413, `The request body is larger than ${limit} bytes`);
}

/** `application/json` and its `+json` kinds, with or without parameters. */
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** Reads a JSON body: `application/json` only (which a cross-site form cannot send), within `limit` bytes. */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
    throw new HttpRefusal(415, 'Send the body as application/json');
  }
  const text = await readText(request, limit);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new TenantryError('VALIDATION_FAILED', 'The request body is not valid JSON', {
      issues: [{ path: '', code: 'invalid_json', message: 'The request body is not valid JSON' }],
    });
  }
}

/**
 * For changes that take no body: nothing, or an empty JSON value (`{}`,
 * `null`) as some clients send, with no content type or a JSON one. Anything
 * else (a form post, say) is refused, so that no request reaches such a route
 * in a shape a cross-site form could send.
 */
export async function refuseBody(request: Request): Promise<void> {
  const type = request.headers.get('content-type');
  if (type !== null && !JSON_TYPE.test(type)) {
    throw new HttpRefusal(415, 'This request takes no body; send none, or application/json');
  }
  const text = (await readText(request, 1024)).trim();
  if (text !== '' && text !== '{}' && text !== 'null') {
    throw new TenantryError('VALIDATION_FAILED', 'This request takes no body', {
      issues: [{ path: '', code: 'unrecognized_keys', message: 'This request takes no body' }],
    });
  }
}

/** How a query parameter's text becomes a value. */
type QueryKind = 'text' | 'list' | 'number' | 'boolean';

const kindsBySchema = new WeakMap<z.ZodObject, Map<string, QueryKind>>();

/** The kind of each of a query schema's fields, from its JSON Schema (lists repeat the parameter). */
function queryKinds(schema: z.ZodObject): Map<string, QueryKind> {
  let kinds = kindsBySchema.get(schema);
  if (!kinds) {
    kinds = new Map();
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { type?: string; anyOf?: { type?: string }[] }>;
    };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const types = [property.type, ...(property.anyOf ?? []).map((option) => option.type)];
      const kind: QueryKind = types.includes('array')
        ? 'list'
        : types.includes('integer') || types.includes('number')
          ? 'number'
          : types.includes('boolean')
            ? 'boolean'
            : 'text';
      kinds.set(name, kind);
    }
    kindsBySchema.set(schema, kinds);
  }
  return kinds;
}

/**
 * The query string as the object a route's schema describes: a list field
 * takes every repetition (`?status=active&status=pending`), numbers and
 * booleans are converted, and unknown parameters are kept for the schema to
 * refuse. Text that does not convert is passed on as it is, to fail validation.
 */
export function readQuery(parameters: URLSearchParams, schema: z.ZodObject | undefined): Record<string, unknown> {
  const kinds = schema ? queryKinds(schema) : new Map<string, QueryKind>();
  const query: Record<string, unknown> = {};
  for (const name of new Set(parameters.keys())) {
    const values = parameters.getAll(name);
    const value = values.at(-1) as string;
    switch (kinds.get(name) ?? 'text') {
      case 'list':
        query[name] = values;
        break;
      case 'number':
        query[name] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
        break;
      case 'boolean':
        query[name] = value === 'true' ? true : value === 'false' ? false : value;
        break;
      default:
        query[name] = value;
    }
  }
  return query;
}

/** The value of one cookie of the request, if present. */
export function cookieValue(request: Request, name: string): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator === -1 || part.slice(0, separator).trim() !== name) continue;
    const value = part.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

/** The bearer token of the `Authorization` header, if it has one. */
export function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return match ? (match[1] as string) : null;
}
