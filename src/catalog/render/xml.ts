/**
 * Escaping for XML (feeds, SVG) and HTML. Scraped text is untrusted: a title may hold markup,
 * `]]>`, entities, or characters XML 1.0 does not allow at all (control characters, lone
 * surrogates), which would make the whole document unreadable even when escaped. Those are
 * dropped; the five special characters are escaped everywhere, so the result is safe in element
 * content and in attribute values alike.
 */

/**
 * The text without the characters XML 1.0 does not allow: #x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF] are kept; other control characters, U+FFFE/U+FFFF and
 * lone surrogates go.
 */
export function xmlChars(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let keep: boolean;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      keep = false;
    } else {
      keep =
        c === 0x9 ||
        c === 0xa ||
        c === 0xd ||
        (c >= 0x20 && c <= 0xd7ff) ||
        (c >= 0xe000 && c <= 0xfffd);
    }
    if (!keep) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text as XML character data or attribute value. */
export function xmlEscape(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Text for HTML (inside feed entries' `type="html"` content, which is then XML-escaped too). */
export function htmlEscape(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => (c === "'" ? '&#39;' : (ENTITIES[c] ?? c)));
}

/** At most `max` characters (code points, never half a surrogate pair), with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
