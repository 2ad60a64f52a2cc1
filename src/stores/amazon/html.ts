/**
 * Just enough HTML reading for small windows of a page. The extractor never parses a whole page:
 * it finds anchors by id, cuts a bounded window after each, and reads tags and text from that
 * window only. Everything here works on a window string, so no search can run past it.
 */

export interface Tag {
  /** Lower-case tag name. */
  readonly name: string;
  /** Index of `<` in the window. */
  readonly start: number;
  /** Index just past `>`. */
  readonly end: number;
  /** Raw attribute values (entities not decoded), lower-case names. */
  readonly attrs: ReadonlyMap<string, string>;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
const BLOCK = new Set([
  'br',
  'div',
  'p',
  'tr',
  'td',
  'th',
  'li',
  'ul',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'hr',
]);

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

function isNameEnd(c: number): boolean {
  return isSpace(c) || c === 47 /* / */ || c === 62 /* > */ || Number.isNaN(c);
}

/** The tag that starts at `lt` (which must be `<`), or null when it is not a complete start tag. */
export function readTag(w: string, lt: number): Tag | null {
  if (w.charCodeAt(lt) !== 60) return null;
  let i = lt + 1;
  while (i < w.length && !isNameEnd(w.charCodeAt(i))) i++;
  const name = w.slice(lt + 1, i).toLowerCase();
  if (name === '' || !/^[a-z][a-z0-9-]*$/.test(name)) return null;
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < w.length && (isSpace(w.charCodeAt(i)) || w.charCodeAt(i) === 47)) i++;
    if (i >= w.length) return null;
    if (w.charCodeAt(i) === 62) return { name, start: lt, end: i + 1, attrs };
    const nameStart = i;
    while (i < w.length) {
      const c = w.charCodeAt(i);
      if (isSpace(c) || c === 61 /* = */ || c === 62 || c === 47) break;
      i++;
    }
    const attr = w.slice(nameStart, i).toLowerCase();
    while (i < w.length && isSpace(w.charCodeAt(i))) i++;
    let value = '';
    if (w.charCodeAt(i) === 61) {
      i++;
      while (i < w.length && isSpace(w.charCodeAt(i))) i++;
      const q = w.charCodeAt(i);
      if (q === 34 || q === 39) {
        const close = w.indexOf(q === 34 ? '"' : "'", i + 1);
        if (close < 0) return null;
        value = w.slice(i + 1, close);
        i = close + 1;
      } else {
        const vs = i;
        while (i < w.length && !isSpace(w.charCodeAt(i)) && w.charCodeAt(i) !== 62) i++;
        value = w.slice(vs, i);
      }
    }
    if (attr !== '' && !attrs.has(attr)) attrs.set(attr, value);
  }
}

/** Whether a tag's class attribute contains `cls` as a whole class name. */
export function hasClass(tag: Tag, cls: string): boolean {
  const c = tag.attrs.get('class');
  if (c === undefined) return false;
  return ` ${c.replace(/\s+/g, ' ')} `.includes(` ${cls} `);
}

/** Lower-case name of the tag whose `<` (or `</`) is at `lt`; '' when none. */
function nameAt(w: string, lt: number): string {
  let i = lt + 1;
  if (w.charCodeAt(i) === 47) i++;
  const s = i;
  while (i < w.length && !isNameEnd(w.charCodeAt(i))) i++;
  return w.slice(s, i).toLowerCase();
}

/** Index just past the end of a comment or raw-text element starting at `lt`, or -1. */
function skipOpaque(w: string, lt: number): number {
  if (w.startsWith('<!--', lt)) {
    const e = w.indexOf('-->', lt + 4);
    return e < 0 ? w.length : e + 3;
  }
  if (w.startsWith('<script', lt) || w.startsWith('<style', lt)) {
    const name = nameAt(w, lt);
    if (name !== 'script' && name !== 'style') return -1;
    const close = w.indexOf(`</${name}`, lt + 1);
    if (close < 0) return w.length;
    const gt = w.indexOf('>', close);
    return gt < 0 ? w.length : gt + 1;
  }
  return -1;
}

/**
 * Where the element opened by `tag` ends (index of its closing tag), counting nested elements of
 * the same name and skipping comments, script and style bodies, whose markup-looking strings
 * would otherwise throw the count off. Returns the window length when the end is not in it.
 */
export function elementEnd(w: string, tag: Tag): number {
  if (VOID.has(tag.name)) return tag.end;
  if (RAW_TEXT.has(tag.name)) {
    const close = w.indexOf(`</${tag.name}`, tag.end);
    return close < 0 ? w.length : close;
  }
  const open = `<${tag.name}`;
  const close = `</${tag.name}`;
  let depth = 1;
  let i = tag.end;
  while (i < w.length) {
    const lt = w.indexOf('<', i);
    if (lt < 0) break;
    const skipped = skipOpaque(w, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    i = lt + 1;
    if (w.startsWith(close, lt) && isNameEnd(w.charCodeAt(lt + close.length))) {
      if (--depth === 0) return lt;
    } else if (w.startsWith(open, lt) && isNameEnd(w.charCodeAt(lt + open.length))) {
      const gt = w.indexOf('>', lt);
      if (gt < 0) break;
      if (w.charCodeAt(gt - 1) !== 47) depth++;
      i = gt + 1;
    }
  }
  return w.length;
}

/**
 * The visible text between `from` and `to`: tags dropped (block tags become spaces, inline tags
 * nothing, so "26<span>.</span>00" stays "26.00"), scripts, styles and comments skipped,
 * entities decoded, whitespace collapsed.
 */
export function textBetween(w: string, from: number, to: number): string {
  let out = '';
  let i = from;
  while (i < to) {
    const lt = w.indexOf('<', i);
    if (lt < 0 || lt >= to) {
      out += w.slice(i, to);
      break;
    }
    out += w.slice(i, lt);
    const skipped = skipOpaque(w, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const gt = w.indexOf('>', lt);
    if (gt < 0) break;
    if (BLOCK.has(nameAt(w, lt))) out += ' ';
    i = gt + 1;
  }
  return collapse(decodeEntities(out));
}

/** The text of the element whose start tag is `tag`. */
export function elementText(w: string, tag: Tag): string {
  return textBetween(w, tag.end, elementEnd(w, tag));
}

export function collapse(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u200e\u200f\u202f]+/g, ' ').trim();
}

/**
 * Visits the start tags in [from, to) in document order, skipping comments, scripts and styles
 * (markup inside JavaScript strings is not the page). Only tags whose markup contains `needle`
 * are parsed, which keeps a walk over a 16 kB window cheap. Stops when `visit` returns true.
 */
function walkTags(
  w: string,
  from: number,
  to: number,
  needle: string,
  visit: (t: Tag) => boolean,
): void {
  let i = from;
  while (i < to) {
    const lt = w.indexOf('<', i);
    if (lt < 0 || lt >= to) return;
    const skipped = skipOpaque(w, lt);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const gt = w.indexOf('>', lt);
    if (gt < 0) return;
    i = gt + 1;
    if (w.charCodeAt(lt + 1) === 47 || (needle !== '' && !w.slice(lt, gt).includes(needle)))
      continue;
    const t = readTag(w, lt);
    if (!t) continue;
    i = t.end;
    if (visit(t)) return;
  }
}

/**
 * Start tags in [from, to) found by searching for `needle` directly rather than walking every
 * tag: much faster on long stretches, but it does not skip scripts, so it is only for markup
 * known to be free of them (search result tiles).
 */
export function tagsContaining(
  w: string,
  from: number,
  to: number,
  needle: string,
  test: (t: Tag) => boolean,
  max = Infinity,
): Tag[] {
  const found: Tag[] = [];
  let i = from;
  while (found.length < max) {
    const at = w.indexOf(needle, i);
    if (at < 0 || at >= to) break;
    const lt = w.charCodeAt(at) === 60 ? at : w.lastIndexOf('<', at);
    const t = lt >= from ? readTag(w, lt) : null;
    if (t && t.end > at && test(t)) found.push(t);
    i = t && t.end > at ? t.end : at + needle.length;
  }
  return found;
}

/** The first start tag in [from, to) with class `cls`. */
export function findClass(w: string, from: number, to: number, cls: string): Tag | null {
  return findTag(w, from, to, cls, (t) => hasClass(t, cls));
}

/** Start tags in [from, to) containing `needle` in their markup and satisfying `test`. */
export function findTags(
  w: string,
  from: number,
  to: number,
  needle: string,
  test: (t: Tag) => boolean,
): Tag[] {
  const found: Tag[] = [];
  walkTags(w, from, to, needle, (t) => {
    if (test(t)) found.push(t);
    return false;
  });
  return found;
}

/** The first start tag in [from, to) containing `needle` and satisfying `test`. */
export function findTag(
  w: string,
  from: number,
  to: number,
  needle: string,
  test: (t: Tag) => boolean,
): Tag | null {
  let found: Tag | null = null;
  walkTags(w, from, to, needle, (t) => {
    if (!test(t)) return false;
    found = t;
    return true;
  });
  return found;
}

// Named entities seen in store pages: the Latin-1 set (titles in de/fr/es/pt/sv/pl/tr pages use
// them) plus typographic punctuation. Anything else is numeric in Amazon's markup.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const NAMED: ReadonlyMap<string, string> = new Map<string, string>([
  ...LATIN1.split(' ').map((n, i): [string, string] => [n, String.fromCharCode(160 + i)]),
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['ndash', '\u2013'],
  ['mdash', '\u2014'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['sbquo', '\u201a'],
  ['ldquo', '\u201c'],
  ['rdquo', '\u201d'],
  ['bdquo', '\u201e'],
  ['hellip', '\u2026'],
  ['bull', '\u2022'],
  ['trade', '\u2122'],
  ['euro', '\u20ac'],
  ['zwnj', '\u200c'],
  ['zwj', '\u200d'],
  ['lrm', '\u200e'],
  ['rlm', '\u200f'],
  ['thinsp', '\u2009'],
  ['ensp', '\u2002'],
  ['emsp', '\u2003'],
  ['OElig', '\u0152'],
  ['oelig', '\u0153'],
  ['Scaron', '\u0160'],
  ['scaron', '\u0161'],
  ['Yuml', '\u0178'],
]);

/**
 * Decodes character references. Loops at most twice because some Amazon attributes are
 * double-escaped ("1,28 &amp;#39;"), and a title must read as the page shows it.
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  let out = decodeOnce(s);
  if (
    out.includes('&') &&
    /&(#\d+|#x[0-9a-f]+|[a-z]+\d?);/i.test(out) &&
    /&amp;(#|[a-z]+;)/i.test(s)
  ) {
    out = decodeOnce(out);
  }
  return out;
}

function decodeOnce(s: string): string {
  // Named references need their semicolon: "&copy=2" inside a URL is a parameter, not ©.
  return s.replace(
    /&(?:#[xX]([0-9a-fA-F]{1,6});?|#(\d{1,7});?|([a-zA-Z][a-zA-Z0-9]{1,7});)/g,
    (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
      if (name !== undefined) return NAMED.get(name) ?? whole;
      const code = hex !== undefined ? parseInt(hex, 16) : parseInt(dec ?? '', 10);
      if (
        !Number.isFinite(code) ||
        code <= 0 ||
        code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)
      ) {
        return whole;
      }
      return String.fromCodePoint(code);
    },
  );
}
