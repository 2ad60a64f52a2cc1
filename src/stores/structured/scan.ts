/**
 * One htmlparser2 pass over the page that keeps only what the readers need: JSON-LD blocks, meta
 * and link tags, microdata, and what the visitor sees near the product (shown.ts).
 */
import { Parser } from 'htmlparser2';
import { MicrodataCollector, type MicroItem } from './microdata.js';
import { ShownTextCollector, type ShownText } from './shown.js';
import { collapseWhitespace } from './text.js';

export type { Heading, PriceText, StockText } from './shown.js';

export interface PageScan extends ShownText {
  readonly jsonLd: readonly string[];
  /** `<meta property|name=… content=…>`, keys lower case, first occurrence wins. */
  readonly meta: ReadonlyMap<string, string>;
  readonly canonical: string | null;
  readonly alternates: ReadonlyArray<{ readonly hreflang: string; readonly href: string }>;
  readonly baseHref: string | null;
  readonly lang: string | null;
  readonly title: string | null;
  readonly microdata: readonly MicroItem[];
}

type Attrs = Readonly<Record<string, string>>;

/** The document-level tags: where the page says what it is and where it lives. */
class HeadCollector {
  readonly jsonLd: string[] = [];
  readonly meta = new Map<string, string>();
  readonly alternates: Array<{ hreflang: string; href: string }> = [];
  canonical: string | null = null;
  baseHref: string | null = null;
  lang: string | null = null;

  onOpen(tag: string, attrs: Attrs): void {
    switch (tag) {
      case 'html':
        this.lang ??= attrs['lang'] ?? attrs['xml:lang'] ?? null;
        break;
      case 'base':
        this.baseHref ??= attrs['href'] ?? null;
        break;
      case 'meta':
        this.onMeta(attrs);
        break;
      case 'link':
        this.onLink(attrs);
        break;
    }
  }

  private onMeta(attrs: Attrs): void {
    const key = (attrs['property'] ?? attrs['name'])?.toLowerCase();
    const content = attrs['content'];
    if (key && content !== undefined && !this.meta.has(key)) this.meta.set(key, content);
    if (attrs['http-equiv']?.toLowerCase() === 'content-language') this.lang ??= content ?? null;
  }

  private onLink(attrs: Attrs): void {
    const rel = (attrs['rel'] ?? '').toLowerCase().split(/\s+/);
    const href = attrs['href'];
    if (!href) return;
    if (rel.includes('canonical')) this.canonical ??= href;
    else if (rel.includes('alternate') && attrs['hreflang']) {
      this.alternates.push({ hreflang: attrs['hreflang'], href });
    }
  }
}

/** Text that is not page text: script bodies (JSON-LD) and the document title. */
type RawText = { kind: 'script'; ld: boolean; text: string } | { kind: 'title'; text: string };

export function scanPage(html: string): PageScan {
  const head = new HeadCollector();
  const microdata = new MicrodataCollector();
  const shown = new ShownTextCollector();
  let raw: RawText | null = null;
  let title: string | null = null;
  // htmlparser2 reports text in pieces around entities; a run is handed on whole.
  let pending = '';
  let pendingStart = 0;

  const flush = (): void => {
    if (!pending) return;
    const text = pending;
    pending = '';
    if (raw) {
      raw.text += text;
      return;
    }
    microdata.onText(text);
    shown.onText(text, pendingStart);
  };

  const parser: Parser = new Parser(
    {
      onopentag(tag, attrs) {
        flush();
        head.onOpen(tag, attrs);
        microdata.onOpen(tag, attrs);
        shown.onOpen(tag, attrs, parser.startIndex);
        if (tag === 'script')
          raw = { kind: 'script', ld: /ld\+json/i.test(attrs['type'] ?? ''), text: '' };
        else if (tag === 'title' && title === null) raw = { kind: 'title', text: '' };
      },
      ontext(text) {
        if (!pending) pendingStart = parser.startIndex;
        pending += text;
      },
      onclosetag(tag) {
        flush();
        microdata.onClose();
        shown.onClose(tag);
        if (raw && tag === raw.kind) {
          if (raw.kind === 'title') title = collapseWhitespace(raw.text) || null;
          else if (raw.ld) head.jsonLd.push(raw.text);
          raw = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return {
    jsonLd: head.jsonLd,
    meta: head.meta,
    canonical: head.canonical,
    alternates: head.alternates,
    baseHref: head.baseHref,
    lang: head.lang,
    title,
    microdata: microdata.finish(),
    ...shown.result(),
  };
}
