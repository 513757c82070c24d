import { z } from 'zod';
import { argumentSchema, type Operation } from '../operations/operation.js';
import { parseInput } from '../schemas/parse.js';
import type { Route, RouteCall } from './routing.js';

/** What a request gives an operation: the path's parameters, the query, the body, the session and the client. */
export interface RequestParts {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, unknown>>;
  /** The JSON body: as sent when it is one argument, parsed when it wraps several (`{ email }`). */
  body: Record<string, unknown> | unknown;
  sessionToken: string | null;
  clientIp: string | undefined;
  /** The request's `User-Agent`, cut to 500 characters. */
  userAgent: string | undefined;
}

/** How one route calls one operation; the documentation's words, and where its arguments come from. */
export interface OperationRouteSpec
  extends Pick<
    Route,
    'method' | 'path' | 'summary' | 'tag' | 'access' | 'returns' | 'response' | 'status' | 'session'
  > {
  /**
   * Where the JSON body goes: the index of the argument it is, or an object
   * whose properties are arguments (`{ email: 1 }` for a body `{ email }`).
   * Its schema is the operation's, so the API documents what the library parses.
   */
  body?: number | Readonly<Record<string, number>>;
  /**
   * Fields of the body's argument that the server fills in (the client's
   * address): left out of the documented body, and refused if a client sends them.
   */
  serverFields?: readonly string[];
  /**
   * The body described apart from the arguments, for an argument whose
   * schema is a union (who enrolls a factor: a session or a challenge): the
   * part of one variant the client sends, parsed here; the operation parses
   * the argument `args` builds from it again.
   */
  bodySchema?: z.ZodObject;
  /** The OpenAPI operation id when a second route runs the same operation (default: the operation's name). */
  operationId?: string;
  /** The index of the argument the query string is (an object schema). */
  query?: number;
  /** The operation's arguments from the request. */
  args(parts: RequestParts): unknown[];
  /** What the route answers, from what the operation answers (default: the same). */
  answer?(result: unknown): unknown;
}

function bodySchema(operation: Operation, spec: OperationRouteSpec): z.ZodType | undefined {
  const { body, serverFields } = spec;
  if (spec.bodySchema) return spec.bodySchema;
  if (body === undefined) return undefined;
  if (typeof body === 'number') {
    const schema = argumentSchema(operation, body);
    if (!serverFields) return schema;
    const shape = Object.entries((schema as z.ZodObject).shape).filter(([field]) => !serverFields.includes(field));
    return z.strictObject(Object.fromEntries(shape));
  }
  return z.strictObject(
    Object.fromEntries(Object.entries(body).map(([key, index]) => [key, argumentSchema(operation, index)])),
  );
}

function querySchema(operation: Operation, index: number | undefined): z.ZodObject | undefined {
  if (index === undefined) return undefined;
  const schema = argumentSchema(operation, index);
  return (schema instanceof z.ZodDefault ? schema.unwrap() : schema) as z.ZodObject;
}

/**
 * The route of one operation: its schemas (body, query) are the operation's
 * own, and the handler runs it for the request's actor (the system for
 * public routes) with the arguments `args` takes from the request.
 */
export function operationRoute(operation: Operation, spec: OperationRouteSpec): Route {
  const body = bodySchema(operation, spec);
  const query = querySchema(operation, spec.query);
  // A body that wraps arguments, or lacks the server's fields, is parsed here; one that is an argument, by the operation.
  const parsedHere = typeof spec.body === 'object' || spec.serverFields !== undefined || spec.bodySchema !== undefined;
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId ?? operation.name,
    summary: spec.summary,
    tag: spec.tag,
    access: spec.access,
    returns: spec.returns,
    ...(spec.response ? { response: spec.response } : {}),
    ...(spec.status ? { status: spec.status } : {}),
    ...(spec.session ? { session: spec.session } : {}),
    ...(body ? { body } : {}),
    ...(query ? { query } : {}),
    async run(call: RouteCall) {
      const sent = body ? await call.body() : undefined;
      const parts: RequestParts = {
        params: call.params,
        query: call.query,
        body: parsedHere && body ? parseInput(body, sent) : sent,
        sessionToken: call.sessionToken,
        clientIp: call.clientIp,
        userAgent: call.request.headers.get('user-agent')?.slice(0, 500) ?? undefined,
      };
      const result = await call.perform(operation, spec.args(parts));
      return spec.answer ? spec.answer(result) : result;
    },
  };
}
