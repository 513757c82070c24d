import type { z } from 'zod';
import type { Operation, OperationResult } from '../operations/operation.js';
import type { UserManagement } from '../user-management.js';

/** The HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route's handler gets: the parsed request, and the actor's API once authenticated. */
export interface RouteCall {
  um: UserManagement;
  request: Request;
  /** The path's `{name}` segments, decoded. */
  params: Readonly<Record<string, string>>;
  /** The query string as an object, shaped by the route's `query` schema (lists, numbers, booleans). */
  query: Readonly<Record<string, unknown>>;
  /** The JSON body (read once, within the size limit). */
  body(): Promise<unknown>;
  /** The session token the request carries (bearer or cookie), if any. */
  sessionToken: string | null;
  /** The client's address, when the handler knows it (see `FetchHandlerOptions.clientIp`). */
  clientIp: string | undefined;
  /** Runs an operation as the request's actor (routes with `access: 'actor'`), or as the system for the others. */
  perform<Op extends Operation>(operation: Op, args: readonly unknown[]): Promise<OperationResult<Op>>;
}

/** Who may call a route: anyone, the holder of a session token, or an authenticated actor. */
export type RouteAccess = 'public' | 'session' | 'actor';

/** One operation of the REST API, described once for dispatch and for the OpenAPI document. */
export interface Route {
  method: HttpMethod;
  /** The path below the base path, with `{name}` parameters: `/users/{userId}/access`. */
  path: string;
  /** The library call it makes, as `area.method`: `users.setAccess`. */
  operationId: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  /** The JSON body's schema, the one the library parses it with. */
  body?: z.ZodType;
  /** Reads the request body itself (a CSV upload), in any content type; other routes without `body` take none. */
  rawBody?: true;
  /** The query parameters' schema (an object of scalars and lists). */
  query?: z.ZodObject;
  /** The success status: 200 unless said. 204 answers without a body. */
  status?: 200 | 201 | 204;
  /** What a success answers, in words, for the documentation. */
  returns: string;
  /** The response body's schema (documentation; the handler sends what `run` returns). */
  response?: z.ZodType;
  /**
   * The media type of a success when it is not JSON: `application/x-ndjson`
   * for a stream of lines, each matching `response`.
   */
  produces?: 'application/x-ndjson';
  /** Starts a session (its answer carries the token, which the handler puts in the cookie) or ends one. */
  session?: 'start' | 'end';
  run(call: RouteCall): Promise<unknown>;
}

/** A route with its path compiled for matching. */
interface CompiledRoute {
  route: Route;
  segments: readonly string[];
}

/** Where a request's path leads: a route and its parameters, the methods the path allows, or nowhere. */
export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'none' };

/** Matches request paths against routes, segment by segment (`{name}` matches one non-empty segment). */
export class Router {
  readonly #compiled: CompiledRoute[];

  constructor(readonly routes: readonly Route[]) {
    this.#compiled = routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));
  }

  /** The route for `method` at `path` (below the base path). */
  match(method: string, path: string): Match {
    const parts = path.split('/').filter(Boolean);
    const allowed: HttpMethod[] = [];
    for (const { route, segments } of this.#compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: 'route', route, params };
      allowed.push(route.method);
    }
    return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
  }
}

function matchSegments(segments: readonly string[], parts: readonly string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as string;
    const part = parts[index] as string;
    if (segment.startsWith('{')) {
      let value: string;
      try {
        value = decodeURIComponent(part);
      } catch {
        return null;
      }
      params[segment.slice(1, -1)] = value;
    } else if (segment !== part) {
      return null;
    }
  }
  return params;
}
