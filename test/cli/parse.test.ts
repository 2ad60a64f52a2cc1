/**
 * `pricehawk parse` and `pricehawk parse-price` per the contracts in DESIGN.md: the right extractor
 * for every page of the corpus, JSON Lines for several files, one answer per line from --stdin.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePageFile } from '../../src/stores/parse-file.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = path.resolve(ROOT, '../shared/fixtures/pages');
const run = promisify(execFile);
const cli = (args: string[], input?: string) => {
  const p = run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
  });
  if (input !== undefined) {
    p.child.stdin?.end(input);
  }
  return p;
};

interface Row {
  file: string;
  category: string;
  price: string;
  currency: string;
}

const rows: Row[] = fs
  .readFileSync(path.join(PAGES, 'INDEX.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const f = line.split('\t');
    return { file: f[0] ?? '', category: f[1] ?? '', price: f[10] ?? '', currency: f[11] ?? '' };
  });

describe('pricehawk parse', () => {
  it.each(rows.map((r) => [r.file, r] as const))('%s goes to the right extractor', (_file, row) => {
    const out = parsePageFile(fs.readFileSync(path.join(PAGES, row.file), 'utf8'));
    expect(out.store).toBe(row.category === 'A' ? 'amazon' : 'structured');
    if (/^\d+\.\d+$/.test(row.price)) {
      expect(out.outcome).toBe('ok');
      expect(out.price).toEqual({ amount: row.price, currency: row.currency });
    } else if (row.price === 'captcha') {
      expect(out.outcome).toBe('captcha');
      expect(out.price).toBeNull();
    } else if (row.price === 'error') {
      expect(out.outcome).toBe('error');
      expect(out.price).toBeNull();
    } else if (row.price === 'unavailable') {
      expect(out.price).toBeNull();
    }
  });

  it('prints one JSON object per file, each with its file, for several files', async () => {
    const files = ['ms_amazon_es_2017.html', 'C_mss_overstock.html'].map((f) =>
      path.join(PAGES, f),
    );
    const { stdout } = await cli(['parse', ...files]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      file: files[0],
      outcome: 'ok',
      store: 'amazon',
      marketplace: 'amazon.es',
      productId: 'B01MUGXRT9',
      price: { amount: '219.00', currency: 'EUR' },
      listPrice: { amount: '239.00', currency: 'EUR' },
      availability: 'in_stock',
    });
    expect(lines[1]).toMatchObject({
      file: files[1],
      store: 'structured',
      price: { amount: '31.49', currency: 'USD' },
    });
    expect(Object.keys(lines[0]).sort()).toEqual(
      [
        'file',
        'outcome',
        'store',
        'marketplace',
        'productId',
        'title',
        'imageUrl',
        'price',
        'listPrice',
        'offers',
        'availability',
      ].sort(),
    );
  });

  it('takes the marketplace from --url', async () => {
    const { stdout } = await cli([
      'parse',
      path.join(PAGES, 'ao_amazon_com_captcha_continue_shopping_2025.html'),
      '--url',
      'https://www.amazon.de/dp/B000000000',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      outcome: 'captcha',
      marketplace: 'amazon.de',
      price: null,
    });
  });
});

describe('pricehawk parse-price', () => {
  it('parses one string', async () => {
    const { stdout } = await cli(['parse-price', '1.299,00 €']);
    expect(JSON.parse(stdout)).toEqual({ amount: '1299.00', currency: 'EUR' });
  });

  it('uses --currency and --locale for what the string does not say', async () => {
    const { stdout } = await cli([
      'parse-price',
      '1.234',
      '--currency',
      'EUR',
      '--locale',
      'de-DE',
    ]);
    expect(JSON.parse(stdout)).toEqual({ amount: '1234.00', currency: 'EUR' });
  });

  it('reads one string per line from --stdin and answers in order', async () => {
    const { stdout } = await cli(
      ['parse-price', '--stdin'],
      'R$ 1.299,90\n₹1,23,456.00\nnot a price\n￥1,280\n',
    );
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { amount: '1299.90', currency: 'BRL' },
      { amount: '123456.00', currency: 'INR' },
      { amount: null, currency: null },
      { amount: '1280', currency: 'JPY' },
    ]);
  });
});
