/**
 * The app's own OpenAPI document (GET /api/openapi.json) as tests walk it: every operation with its
 * path and query parameters and its JSON body schema, so that a route added later is tried without
 * anyone listing it again.
 */
import { expect } from 'vitest';
import type { ApiClient } from './http.js';

export type Schema = Record<string, any>;

export interface Parameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
}

export interface Operation {
  /** Upper case: GET, POST, … */
  readonly method: string;
  /** As the document writes it: /api/v1/watches/{id} */
  readonly path: string;
  /** `${method} ${path}`: how tests name an operation. */
  readonly key: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  /** The application/json body schema, when the operation declares one. */
  readonly body: Schema | undefined;
}

export interface ApiDocument {
  readonly doc: Schema;
  readonly operations: readonly Operation[];
  /** Follows $ref and a lone allOf, so that `type`, `properties`… can be read. */
  resolve(schema: Schema | undefined): Schema | undefined;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export async function loadApiDocument(api: ApiClient): Promise<ApiDocument> {
  const res = await api.get('/api/openapi.json');
  expect(res.status).toBe(200);
  const doc = res.body as Schema;
  expect(doc.openapi).toMatch(/^3\./);

  const resolve = (schema: Schema | undefined): Schema | undefined => {
    let s = schema;
    for (let hops = 0; s && hops < 20; hops++) {
      if (typeof s.$ref === 'string') {
        const name = s.$ref.replace('#/components/schemas/', '');
        s = doc.components?.schemas?.[name] as Schema | undefined;
      } else if (Array.isArray(s.allOf) && s.allOf.length === 1 && !s.type && !s.properties) {
        s = s.allOf[0] as Schema;
      } else {
        return s;
      }
    }
    return s;
  };

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const params = (op.parameters ?? []) as Array<Schema>;
      const pick = (where: string): Parameter[] =>
        params
          .filter((p) => p.in === where)
          .map((p) => ({
            name: String(p.name),
            required: p.required === true,
            schema: resolve(p.schema as Schema) ?? {},
          }));
      const upper = method.toUpperCase();
      operations.push({
        method: upper,
        path,
        key: `${upper} ${path}`,
        pathParams: pick('path'),
        queryParams: pick('query'),
        body: resolve(op.requestBody?.content?.['application/json']?.schema as Schema | undefined),
      });
    }
  }
  return { doc, operations, resolve };
}

/**
 * The document's path with its `{name}` parameters filled in: URL-encoded, unless `encoded` says
 * the values are already as they should go on the wire.
 */
export function fillPath(
  path: string,
  values: Readonly<Record<string, string | number>>,
  encoded = false,
): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${path}`);
    return encoded ? String(v) : encodeURIComponent(String(v));
  });
}

/** Parameter names in a document path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}
