/**
 * JSON-LD script blocks → plain objects. Each block is parsed on its own so that one broken block
 * (trailing commas, raw newlines in strings, HTML comment wrappers, two objects back to back) costs
 * only itself.
 */

import { isNode, type IdLookup, type SchemaNode } from './schema.js';

/**
 * JSON numbers are turned into their decimal text while parsing, so a price such as 98.99 is never
 * used as a float. Node 20 has no access to the source text in revivers, so String(n) is used: it
 * prints the shortest decimal that reads back as the same double, which is the literal itself for
 * any price written with 15 significant digits or fewer.
 */
function numbersAsText(_key: string, value: unknown, context?: { source?: string }): unknown {
  return typeof value === 'number' ? (context?.source ?? String(value)) : value;
}

const WRAPPERS =
  /^\s*(?:<!--|\/\/\s*<!\[CDATA\[|\/\*\s*<!\[CDATA\[\s*\*\/|<!\[CDATA\[)|(?:-->|\/\/\s*\]\]>|\/\*\s*\]\]>\s*\*\/|\]\]>)\s*$/g;

/** The value of one block, or null when even the repaired text is not JSON. */
export function parseJsonLdBlock(text: string): unknown {
  const src = text.replace(WRAPPERS, '').trim();
  if (!src) return null;
  try {
    return JSON.parse(src, numbersAsText) as unknown;
  } catch {
    try {
      return JSON.parse(repairJson(src), numbersAsText) as unknown;
    } catch {
      return null;
    }
  }
}

/**
 * Fixes the mistakes hand-templated JSON-LD makes, in one pass outside and inside strings:
 * control characters inside strings, trailing commas, comments, junk between values (";"), and
 * several top-level values in one block (returned as an array).
 */
export function repairJson(src: string): string {
  let out = '';
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] ?? '';
    if (inString) {
      if (ch === '\\') {
        out += ch + (src[i + 1] ?? '');
        i++;
      } else if (ch === '"') {
        inString = false;
        out += ch;
      } else if (ch < ' ') {
        out += ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : ' ';
      } else {
        out += ch;
      }
      continue;
    }
    if (ch === '/' && (src[i + 1] === '/' || src[i + 1] === '*')) {
      const end = src[i + 1] === '/' ? src.indexOf('\n', i) : src.indexOf('*/', i + 2);
      if (end < 0) break;
      i = src[i + 1] === '/' ? end - 1 : end + 1;
      continue;
    }
    if (depth === 0) {
      // Between top-level values only the start of the next object or array matters.
      if (ch !== '{' && ch !== '[') continue;
      if (values++ > 0) out += ',';
    }
    if (ch === ',' && /^\s*[}\]]/.test(src.slice(i + 1, i + 64))) continue;
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    out += ch;
  }
  return values > 1 ? `[${out}]` : out;
}

export interface JsonLdDoc {
  /** Nodes a page states directly: block roots, `@graph` members, a WebPage's `mainEntity`. */
  readonly topLevel: readonly SchemaNode[];
  readonly lookup: IdLookup;
}

const MAX_NODES = 20_000;
const MAX_DEPTH = 12;

export function collectJsonLd(blocks: readonly string[]): JsonLdDoc {
  const topLevel: SchemaNode[] = [];
  const byId = new Map<string, SchemaNode>();
  let seen = 0;
  const walk = (v: unknown, top: boolean, depth: number): void => {
    if (depth > MAX_DEPTH || seen > MAX_NODES) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, top, depth + 1);
      return;
    }
    if (!isNode(v)) return;
    seen++;
    const id = v['@id'];
    // A bare {"@id": …} is a reference, not a definition.
    if (typeof id === 'string' && Object.keys(v).some((k) => k !== '@id' && k !== '@context')) {
      if (!byId.has(id)) byId.set(id, v);
    }
    if (top && (v['@type'] != null || v['@graph'] == null)) topLevel.push(v);
    for (const [key, child] of Object.entries(v)) {
      if (typeof child !== 'object' || child === null) continue;
      walk(child, key === '@graph' || (top && key === 'mainEntity'), depth + 1);
    }
  };
  for (const block of blocks) walk(parseJsonLdBlock(block), true, 0);
  return { topLevel, lookup: (id) => byId.get(id) };
}
