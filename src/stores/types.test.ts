import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { extractAmazon } from './amazon/extract.js';
import { detachedFromPage, type Observation } from './types.js';

const PAGES = path.resolve(import.meta.dirname, '../../../shared/fixtures/pages');

/** A full collection (the flag is set for this process; `gc` comes from a fresh context). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
}

describe('detachedFromPage', () => {
  it('keeps the observation and lets its page go', () => {
    // The largest Amazon product page of the corpus that has a title.
    const html = fs
      .readdirSync(PAGES)
      .filter((f) => f.endsWith('.html') && f.includes('amazon'))
      .map((f) => fs.readFileSync(path.join(PAGES, f), 'utf8'))
      .filter((h) => extractAmazon(h).title !== null)
      .sort((a, b) => b.length - a.length)[0];
    if (!html) throw new Error(`no Amazon product page in ${PAGES}`);
    const whole = extractAmazon(html);

    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const kept: Observation[] = [];
    const pages = 60;
    for (let i = 0; i < pages; i++) {
      // A page of its own each time, as each download is (the comment makes it a new string).
      const obs = detachedFromPage(extractAmazon(`${html}<!-- ${i} -->`));
      expect(obs).toEqual(whole);
      kept.push(obs);
    }
    collectGarbage();
    const retained = process.memoryUsage().heapUsed - before;
    // Sixty pages of this size are tens of megabytes; sixty observations are a few kilobytes.
    expect(retained).toBeLessThan((html.length * pages) / 10);
    expect(kept).toHaveLength(pages);
  });
});
