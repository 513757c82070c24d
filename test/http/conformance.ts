import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

/**
 * Checks answers against the OpenAPI document the handler serves: each JSON
 * success must match the schema its operation declares, so the document
 * cannot drift from what the API really sends.
 */
export class Conformance {
  readonly #operations: { method: string; pattern: RegExp; path: string }[] = [];
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  /** How many answers were checked against a schema. */
  checked = 0;

  constructor(
    private readonly document: Document,
    basePath: string,
  ) {
    addFormats.default(this.#ajv);
    this.#ajv.addSchema(document as object, 'api');
    for (const [path, methods] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${basePath}${path.replace(/\{\w+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(methods)) this.#operations.push({ method: method.toUpperCase(), pattern, path });
    }
  }

  /** Asserts that a JSON answer to `method path` matches its declared schema (successes only). */
  check(method: string, url: string, status: number, body: unknown): void {
    if (status >= 300 || body === undefined) return;
    const path = new URL(url, 'http://x').pathname;
    const operation = this.#operations.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    if (!operation) return;
    const pointer = [
      'paths',
      operation.path,
      method.toLowerCase(),
      'responses',
      String(status),
      'content',
      'application/json',
      'schema',
    ]
      .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
      .join('/');
    const schema = this.document.paths[operation.path]?.[method.toLowerCase()]?.responses[String(status)]?.content;
    expect(schema, `${method} ${operation.path} declares no ${status} answer`).toBeDefined();
    let validate = this.#validators.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `api#/${pointer}` });
      this.#validators.set(pointer, validate);
    }
    const valid = validate(body);
    expect(validate.errors ?? [], `${method} ${path} answered against its schema`).toEqual([]);
    expect(valid).toBe(true);
    this.checked += 1;
  }
}
