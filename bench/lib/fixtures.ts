/**
 * The Amazon product pages of the shared corpus (INDEX.tsv: category A, page type "product: …"),
 * with the buy-box price the index records for each, so the extractors' answers can be checked
 * alongside their speed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decimalToMinor } from '../../src/money/index.js';

export interface FixturePage {
  readonly file: string;
  readonly marketplace: string;
  readonly pageType: string;
  /** The page as read from disk, and decoded as UTF-8. */
  readonly bytes: Buffer;
  readonly html: string;
  /** Buy-box price in minor units per INDEX.tsv; null when the index says there is none. */
  readonly expectedMinor: number | null;
  readonly currency: string;
}

/** TSV cells may be wrapped in double quotes with "" inside (they never contain tabs). */
function cell(raw: string | undefined): string {
  const s = raw ?? '';
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}

export function amazonProductPages(dir: string): FixturePage[] {
  const lines = readFileSync(path.join(dir, 'INDEX.tsv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`INDEX.tsv has no ${name} column`);
    return i;
  };
  const [iFile, iCat, iMp, iType, iPrice, iCur] = [
    'file',
    'category',
    'marketplace_or_site',
    'page_type',
    'buybox_price',
    'currency',
  ].map(col) as [number, number, number, number, number, number];
  const pages: FixturePage[] = [];
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const f = line.split('\t');
    const pageType = cell(f[iType]);
    if (cell(f[iCat]) !== 'A' || !pageType.startsWith('product:')) continue;
    const file = cell(f[iFile]);
    const bytes = readFileSync(path.join(dir, file));
    const currency = cell(f[iCur]);
    const price = cell(f[iPrice]);
    pages.push({
      file,
      marketplace: cell(f[iMp]),
      pageType,
      bytes,
      html: bytes.toString('utf8'),
      expectedMinor: /^\d+(\.\d+)?$/.test(price) ? decimalToMinor(price, currency) : null,
      currency,
    });
  }
  if (pages.length === 0) throw new Error(`no Amazon product pages listed in ${dir}/INDEX.tsv`);
  return pages;
}
