import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { xmlProblem } from '../testing/well-formed.js';
import { renderAtom } from './atom.js';
import { renderPriceChart } from './chart.js';
import { htmlEscape, truncate, xmlEscape } from './xml.js';

const EVIL = `<script>alert('x')</script> ]]> & "quotes" \u0000\u0008\u000B\uFFFE \uD800 ok \uD83D\uDE00`;

describe('xmlEscape', () => {
  it('escapes the five special characters and drops what XML 1.0 cannot carry', () => {
    expect(xmlEscape(EVIL)).toBe(
      '&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; ]]&gt; &amp; &quot;quotes&quot;   ok \uD83D\uDE00',
    );
    expect(xmlEscape('tab\there\nline\r')).toBe('tab\there\nline\r');
    expect(xmlEscape('&amp;')).toBe('&amp;amp;');
  });

  it('escapes for HTML the same way, with a numeric apostrophe', () => {
    expect(htmlEscape(`<a href="x">O'Brien & co</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;',
    );
  });

  it('truncates by code points, never inside a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab\uD83D\uDE00cd', 4)).toBe('ab\uD83D\uDE00…');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('renderAtom', () => {
  it('is well formed with untrusted text in every place', () => {
    const xml = renderAtom({
      id: 'https://x.test/feeds/products/1.xml?a=1&b=2',
      title: EVIL,
      subtitle: EVIL,
      self: 'https://x.test/feeds/products/1.xml',
      alternate: 'https://x.test/products/1',
      updated: new Date(0),
      entries: [
        {
          id: 'https://x.test/products/1#buybox-0',
          title: EVIL,
          updated: new Date(1000),
          link: 'https://x.test/products/1?x="y"',
          contentHtml: `<p>${htmlEscape(EVIL)}</p>`,
        },
      ],
    });
    expect(xmlProblem(xml)).toBeNull();
    const doc = parseDocument(xml, { xmlMode: true });
    const titles = DomUtils.getElementsByTagName('title', doc, true).map((e) =>
      DomUtils.textContent(e),
    );
    expect(titles).toEqual([xmlEscapeRoundTrip(EVIL), xmlEscapeRoundTrip(EVIL)]);
    const content = DomUtils.textContent(DomUtils.getElementsByTagName('content', doc, true)[0]!);
    expect(content).toBe(`<p>${htmlEscape(EVIL)}</p>`);
  });
});

/** What a parser reads back from xmlEscape(s): s without the characters XML cannot carry. */
function xmlEscapeRoundTrip(s: string): string {
  return parseDocument(`<t>${xmlEscape(s)}</t>`, { xmlMode: true })
    .children.map((c) => DomUtils.textContent(c))
    .join('');
}

describe('renderPriceChart', () => {
  const base = {
    title: EVIL,
    currency: 'EUR',
    priceTypeLabel: 'Buy box',
    from: Date.UTC(2025, 0, 1),
    to: Date.UTC(2025, 3, 1),
  };

  it('draws a step line with gaps and labels the extremes in the currency', () => {
    const svg = renderPriceChart({
      ...base,
      points: [
        { at: Date.UTC(2025, 0, 1), amount: 129_900 },
        { at: Date.UTC(2025, 1, 1), amount: 99_900 },
        { at: Date.UTC(2025, 1, 10), amount: null },
        { at: Date.UTC(2025, 2, 1), amount: 109_900 },
      ],
    });
    expect(xmlProblem(svg)).toBeNull();
    const doc = parseDocument(svg, { xmlMode: true });
    const texts = DomUtils.getElementsByTagName('text', doc, true).map((e) =>
      DomUtils.textContent(e),
    );
    expect(texts).toEqual(
      expect.arrayContaining(['€1,299.00', '€999.00', 'now €1,099.00', '2025-01-01', '2025-04-01']),
    );
    const d = DomUtils.getElementsByTagName('path', doc, true)[0]?.attribs.d ?? '';
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.match(/V/g)).toHaveLength(1);
    // Same input, same bytes: the ETag is stable.
    expect(renderPriceChart({ ...base, points: [{ at: base.from, amount: 1 }] })).toBe(
      renderPriceChart({ ...base, points: [{ at: base.from, amount: 1 }] }),
    );
  });

  it('says so when there is nothing to draw', () => {
    const svg = renderPriceChart({
      ...base,
      title: null,
      points: [{ at: base.from, amount: null }],
    });
    expect(xmlProblem(svg)).toBeNull();
    expect(svg).toContain('No price history yet');
  });
});
