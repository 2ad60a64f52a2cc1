import { describe, expect, it } from 'vitest';
import { collectJsonLd, parseJsonLdBlock, repairJson } from './jsonld.js';

describe('parseJsonLdBlock', () => {
  it('keeps JSON numbers as their decimal text', () => {
    expect(parseJsonLdBlock('{"price": 98.99, "n": 3, "s": "31.49"}')).toEqual({
      price: '98.99',
      n: '3',
      s: '31.49',
    });
  });

  it('strips comment and CDATA wrappers', () => {
    expect(parseJsonLdBlock('<!-- {"a": 1} -->')).toEqual({ a: '1' });
    expect(parseJsonLdBlock('//<![CDATA[\n{"a": 1}\n//]]>')).toEqual({ a: '1' });
  });

  it('gives null for text that cannot be repaired', () => {
    expect(parseJsonLdBlock('{"a": ')).toBeNull();
    expect(parseJsonLdBlock('   ')).toBeNull();
  });
});

describe('repairJson', () => {
  it('drops trailing commas and junk between values', () => {
    expect(JSON.parse(repairJson('{"a": [1, 2,], "b": {"c": 3,},};'))).toEqual({
      a: [1, 2],
      b: { c: 3 },
    });
  });

  it('escapes raw control characters inside strings only', () => {
    expect(JSON.parse(repairJson('{"a": "x\ny\tz"}\n'))).toEqual({ a: 'x\ny\tz' });
  });

  it('keeps escaped quotes and commas inside strings', () => {
    expect(JSON.parse(repairJson('{"a": "say \\"hi\\", ok,}"}'))).toEqual({ a: 'say "hi", ok,}' });
  });

  it('turns back-to-back values into an array and skips comments', () => {
    expect(JSON.parse(repairJson('{"a": 1} /* x */ {"b": 2} // y\n'))).toEqual([
      { a: 1 },
      { b: 2 },
    ]);
  });
});

describe('collectJsonLd', () => {
  it('treats roots, array members, @graph members and mainEntity as top level', () => {
    const doc = collectJsonLd([
      '[{"@type": "Organization"}, {"@type": "Product", "name": "A", "isRelatedTo": {"@type": "Product", "name": "B"}}]',
      '{"@graph": [{"@type": "Product", "@id": "#c", "name": "C"}]}',
      '{"@type": "WebPage", "mainEntity": {"@type": "Product", "name": "D"}}',
      'not json at all',
    ]);
    const names = doc.topLevel.map((n) => n['name'] ?? n['@type']);
    expect(names).toEqual(['Organization', 'A', 'C', 'WebPage', 'D']);
    expect(doc.lookup('#c')?.['name']).toBe('C');
  });
});
