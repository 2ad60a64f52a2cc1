/** Escaping for everything the demo pages interpolate: titles and queries are untrusted text. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and double- or single-quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** JSON for a `data-*` attribute, the way Amazon embeds widget state (`&quot;` inside). */
export function jsonAttr(value: unknown): string {
  return esc(JSON.stringify(value));
}

/**
 * JSON inside a <script> element: `</` must not close the element early, and U+2028/2029 must not
 * end a line in older engines.
 */
export function jsonScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/<\//g, '<\\/')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
