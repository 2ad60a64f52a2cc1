/**
 * Atom 1.0 feeds (RFC 4287). Atom rather than RSS 2.0 because Atom says whether a text is plain
 * or HTML (`type="text"` / `type="html"`), where RSS readers guess, and a guessed-HTML title is
 * how a scraped `<script>` would run in someone's feed reader.
 */
import { xmlEscape } from './xml.js';

export interface AtomEntry {
  /** A permanent, unique IRI. */
  readonly id: string;
  /** Plain text. */
  readonly title: string;
  readonly updated: Date;
  readonly link: string;
  /** HTML, built by the caller with every untrusted string HTML-escaped. */
  readonly contentHtml: string;
}

export interface AtomFeed {
  readonly id: string;
  readonly title: string;
  readonly subtitle?: string;
  /** The feed's own URL. */
  readonly self: string;
  /** The page the feed is about. */
  readonly alternate: string;
  readonly updated: Date;
  readonly entries: readonly AtomEntry[];
}

export function renderAtom(feed: AtomFeed): string {
  const entries = feed.entries
    .map(
      (e) => `  <entry>
    <id>${xmlEscape(e.id)}</id>
    <title type="text">${xmlEscape(e.title)}</title>
    <updated>${e.updated.toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${xmlEscape(e.link)}"/>
    <content type="html">${xmlEscape(e.contentHtml)}</content>
  </entry>
`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xmlEscape(feed.id)}</id>
  <title type="text">${xmlEscape(feed.title)}</title>
${feed.subtitle ? `  <subtitle type="text">${xmlEscape(feed.subtitle)}</subtitle>\n` : ''}  <updated>${feed.updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${xmlEscape(feed.self)}"/>
  <link rel="alternate" type="text/html" href="${xmlEscape(feed.alternate)}"/>
  <author><name>Pricehawk</name></author>
  <generator>Pricehawk</generator>
${entries}</feed>
`;
}
