/**
 * Microdata (itemscope / itemprop / itemref), collected during the page's single parse and then
 * turned into the same plain-object shape as JSON-LD, so that one reader serves both.
 */
import type { SchemaNode } from './schema.js';
import { collapseWhitespace } from './text.js';

export interface MicroItem {
  readonly types: readonly string[];
  readonly props: Map<string, MicroValue[]>;
  readonly refs: readonly string[];
  /** False once the item is the value of another item's property. */
  topLevel: boolean;
}
export type MicroValue = string | MicroItem;

interface Capture {
  readonly names: readonly string[];
  readonly owner: MicroItem | null;
  readonly ids: readonly string[];
  text: string;
}

interface Frame {
  readonly id: string | undefined;
  readonly scope: MicroItem | undefined;
  readonly capture: Capture | undefined;
}

interface Orphan {
  readonly names: readonly string[];
  readonly value: MicroValue;
  /** ids of the element and its ancestors, for itemref on an item elsewhere in the page. */
  readonly ids: readonly string[];
}

const MAX_CAPTURE = 1000;

/** Per the microdata spec, these elements' values are attributes, not their text. */
const URL_ATTR: Readonly<Record<string, string>> = {
  a: 'href',
  area: 'href',
  link: 'href',
  img: 'src',
  audio: 'src',
  video: 'src',
  source: 'src',
  track: 'src',
  iframe: 'src',
  embed: 'src',
  object: 'data',
  data: 'value',
  meter: 'value',
  time: 'datetime',
};

function words(v: string | undefined): string[] {
  return v ? v.trim().split(/\s+/).filter(Boolean) : [];
}

export class MicrodataCollector {
  readonly items: MicroItem[] = [];
  private readonly stack: Frame[] = [];
  private readonly captures: Capture[] = [];
  private readonly orphans: Orphan[] = [];

  onOpen(tag: string, attrs: Readonly<Record<string, string>>): void {
    const names = words(attrs['itemprop']);
    const isScope = 'itemscope' in attrs;
    let scope: MicroItem | undefined;
    let capture: Capture | undefined;
    if (isScope) {
      scope = {
        types: words(attrs['itemtype']),
        props: new Map(),
        refs: words(attrs['itemref']),
        topLevel: true,
      };
      this.items.push(scope);
    }
    if (names.length > 0) {
      const owner = this.nearestScope();
      const ids = owner ? [] : this.idsFromHere(attrs['id']);
      if (scope) {
        this.emit(names, scope, owner, ids);
      } else {
        const attr = attrs['content'] !== undefined ? 'content' : URL_ATTR[tag];
        const value = attr ? attrs[attr] : undefined;
        if (value !== undefined) this.emit(names, value.trim(), owner, ids);
        else if (tag !== 'meta') capture = { names, owner, ids, text: '' };
      }
    }
    if (capture) this.captures.push(capture);
    this.stack.push({ id: attrs['id'], scope, capture });
  }

  onText(text: string): void {
    for (const c of this.captures) if (c.text.length < MAX_CAPTURE) c.text += text;
  }

  onClose(): void {
    const frame = this.stack.pop();
    if (frame?.capture) {
      this.captures.pop();
      const c = frame.capture;
      this.emit(c.names, collapseWhitespace(c.text), c.owner, c.ids);
    }
  }

  /** Every item, with itemref'd properties attached to the items that reference them. */
  finish(): MicroItem[] {
    for (const item of this.items) {
      if (item.refs.length === 0) continue;
      for (const o of this.orphans) {
        if (o.value !== item && o.ids.some((id) => item.refs.includes(id))) {
          this.emit(o.names, o.value, item, []);
        }
      }
    }
    return this.items;
  }

  private nearestScope(): MicroItem | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const s = this.stack[i]?.scope;
      if (s) return s;
    }
    return null;
  }

  private idsFromHere(ownId: string | undefined): string[] {
    const ids = ownId ? [ownId] : [];
    for (const f of this.stack) if (f.id) ids.push(f.id);
    return ids;
  }

  private emit(
    names: readonly string[],
    value: MicroValue,
    owner: MicroItem | null,
    ids: readonly string[],
  ): void {
    if (!owner) {
      this.orphans.push({ names, value, ids });
      return;
    }
    if (typeof value !== 'string') value.topLevel = false;
    for (const name of names) {
      const list = owner.props.get(name);
      if (list) list.push(value);
      else owner.props.set(name, [value]);
    }
  }
}

/** An item as a schema.org plain object; nested items are converted too, up to a depth. */
export function toSchemaNode(item: MicroItem, depth = 0): SchemaNode {
  const node: Record<string, unknown> = { '@type': [...item.types] };
  for (const [name, values] of item.props) {
    const converted = values.map((v) =>
      typeof v === 'string' ? v : depth < 6 ? toSchemaNode(v, depth + 1) : null,
    );
    node[name] = converted.length === 1 ? converted[0] : converted;
  }
  return node;
}
