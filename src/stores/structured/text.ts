/**
 * Text helpers shared by the structured-data readers. Titles and names come from JSON strings and
 * attribute values that sites sometimes entity-encode twice ("H&amp;M" inside JSON-LD), so the
 * few entities seen in practice are decoded once more here.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes the entities that leak into JSON-LD strings; unknown entities are left as they are. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A display string from scraped text: entities decoded, whitespace collapsed, null when empty. */
export function cleanText(s: string | null | undefined, max = 500): string | null {
  if (!s) return null;
  const t = collapseWhitespace(decodeEntities(s));
  return t ? t.slice(0, max) : null;
}

/**
 * A comparison key for titles: case, accents and punctuation differ between an `<h1>`, the
 * JSON-LD name and `og:title` of the same product, so only letters and digits are kept.
 */
export function matchKey(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Whether a heading names the product: one key starts with the other (names get suffixes). */
export function sameTitle(heading: string, title: string): boolean {
  const a = matchKey(heading);
  const b = matchKey(title);
  if (a.length < 4 || b.length < 4) return false;
  return a.startsWith(b) || b.startsWith(a);
}
