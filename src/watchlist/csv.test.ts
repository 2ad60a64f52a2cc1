import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvRecord } from './csv.js';

/** A small RFC 4180 reader, to check that what is written reads back as it was meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('csvField', () => {
  it('leaves plain text alone and writes null as an empty field', () => {
    expect(csvField('Kaffeemühle 28 cm')).toBe('Kaffeemühle 28 cm');
    expect(csvField('12.50')).toBe('12.50');
    expect(csvField(3)).toBe('3');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField('one\r\ntwo')).toBe('"one\r\ntwo"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '  =1', '＝1', '＋1', '－1', '＠x'])(
    'defuses %j, which a spreadsheet would run as a formula',
    (v) => {
      const out = csvField(v);
      const [[read]] = parseCsv(`${out}\r\n`) as [[string]];
      expect(read).toBe(`'${v}`);
    },
  );

  it('defuses and quotes at once', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });
});

describe('csvDocument', () => {
  it('is a BOM, a header and CRLF records that read back field for field', () => {
    const rows = [
      ['Mug, "large"\nblue', '=cmd|', '9.99'],
      ['plain', null, ''],
    ];
    const doc = csvDocument(['a', 'b', 'c'], rows);
    expect(doc.startsWith('\ufeffa,b,c\r\n')).toBe(true);
    expect(doc.endsWith('\r\n')).toBe(true);
    expect(parseCsv(doc.slice(1))).toEqual([
      ['a', 'b', 'c'],
      ['Mug, "large"\nblue', "'=cmd|", '9.99'],
      ['plain', '', ''],
    ]);
    expect(csvRecord(['x', 'y'])).toBe('x,y\r\n');
  });
});
