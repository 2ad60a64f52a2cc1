import { describe, expect, it } from 'vitest';
import {
  decodeEntities,
  elementEnd,
  elementText,
  findClass,
  findTags,
  hasClass,
  readTag,
  textBetween,
} from './html.js';

describe('readTag', () => {
  it('reads quoted, single-quoted, unquoted and bare attributes', () => {
    const t = readTag(
      `<INPUT type=hidden id='ASIN' value="B0057OC5O8" disabled data-x="a>b">rest`,
      0,
    );
    expect(t?.name).toBe('input');
    expect(t?.attrs.get('type')).toBe('hidden');
    expect(t?.attrs.get('id')).toBe('ASIN');
    expect(t?.attrs.get('value')).toBe('B0057OC5O8');
    expect(t?.attrs.has('disabled')).toBe(true);
    expect(t?.attrs.get('data-x')).toBe('a>b');
    expect(t?.end).toBe(t ? t.end : -1);
  });

  it('refuses what is not a complete start tag', () => {
    expect(readTag('</div>', 0)).toBeNull();
    expect(readTag('<div class="unterminated', 0)).toBeNull();
    expect(readTag('< div>', 0)).toBeNull();
  });

  it('matches whole class names only', () => {
    const t = readTag('<span class="a-size-small basisPriceLegalMessage">', 0);
    expect(t && hasClass(t, 'basisPrice')).toBe(false);
    expect(t && hasClass(t, 'a-size-small')).toBe(true);
  });
});

describe('elementEnd and text', () => {
  it('counts nested elements of the same name', () => {
    const w = '<div id="a"><div>x</div><div><div>y</div></div>z</div><div>after</div>';
    const t = readTag(w, 0);
    expect(t).not.toBeNull();
    if (!t) return;
    expect(w.slice(t.end, elementEnd(w, t))).toBe('<div>x</div><div><div>y</div></div>z');
  });

  it('is not fooled by markup inside scripts and comments', () => {
    const w = '<div id="a">one<script>var s = "</div><div>";</script><!-- </div> -->two</div>three';
    const t = readTag(w, 0);
    if (!t) throw new Error('no tag');
    expect(elementText(w, t)).toBe('onetwo');
  });

  it('keeps inline parts together and separates blocks', () => {
    const w =
      '<span class="a-price"><span class="a-price-symbol">AED</span><span class="a-price-whole">26<span class="a-price-decimal">.</span></span><span class="a-price-fraction">00</span></span>';
    expect(textBetween(w, 0, w.length)).toBe('AED26.00');
    expect(textBetween('<td>Kindle Price:</td><td> $9.99 </td>', 0, 38)).toBe(
      'Kindle Price: $9.99',
    );
  });

  it('returns the window end when the element is cut off', () => {
    const w = '<div id="a"><span>cut';
    const t = readTag(w, 0);
    if (!t) throw new Error('no tag');
    expect(elementEnd(w, t)).toBe(w.length);
  });

  it('finds tags by class, skipping scripts', () => {
    const w =
      '<div><script>"<span class=\\"a-price\\">"</script><span class="a-price big">1</span><b class="a-price">2</b></div>';
    expect(
      findTags(w, 0, w.length, 'a-price', (t) => hasClass(t, 'a-price')).map((t) => t.name),
    ).toEqual(['span', 'b']);
    expect(findClass(w, 0, w.length, 'big')?.name).toBe('span');
    expect(findClass(w, 0, w.length, 'missing')).toBeNull();
  });
});

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(
      decodeEntities('K&uuml;che &amp; Haushalt &ndash; Tiamat&#39;s &#x27;x&#x27; &nbsp;'),
    ).toBe("Küche & Haushalt \u2013 Tiamat's 'x' \u00a0");
  });

  it('decodes Amazon’s double-escaped references', () => {
    expect(decodeEntities('1,28 &amp;#39;')).toBe("1,28 '");
  });

  it('leaves URL parameters and unknown names alone', () => {
    expect(decodeEntities('a?b=1&copy=2&x')).toBe('a?b=1&copy=2&x');
    expect(decodeEntities('&unknownname; &#0;')).toBe('&unknownname; &#0;');
  });
});
