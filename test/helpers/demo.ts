/** The demo store's admin API, as the tests drive it. */
import { request } from 'undici';
import { expect } from 'vitest';

export interface DemoProduct {
  readonly asin: string;
  readonly url: string;
  readonly title: string;
  readonly price: string | null;
  readonly currency: string;
  readonly availability: string;
}

export async function listDemoProducts(demoUrl: string): Promise<DemoProduct[]> {
  const res = await request(`${demoUrl}/_admin/products`);
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as DemoProduct[];
}

/** A product in stock with a price, in `currency` when given. */
export async function pickDemoProduct(demoUrl: string, currency?: string): Promise<DemoProduct> {
  const found = (await listDemoProducts(demoUrl)).find(
    (p) =>
      p.price !== null && p.availability === 'in_stock' && (!currency || p.currency === currency),
  );
  if (!found) throw new Error(`the demo store has no ${currency ?? ''} product in stock`);
  return found;
}

/** Sets a product's price at once (and pins it) through PUT /_admin/products/{ASIN}. */
export async function setDemoPrice(demoUrl: string, asin: string, price: string): Promise<void> {
  const res = await request(`${demoUrl}/_admin/products/${asin}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ price }),
  });
  expect(res.statusCode).toBe(200);
  await res.body.dump();
}

/** Makes the demo store answer for one product with a captcha, its 503 page, … (null: normal). */
export async function setDemoFault(
  demoUrl: string,
  asin: string,
  fault: 'captcha' | 'error' | 'slow' | 'truncate' | 'rate_limit' | null,
): Promise<void> {
  const res = await request(`${demoUrl}/_admin/products/${asin}/fault`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fault }),
  });
  expect(res.statusCode).toBe(200);
  await res.body.dump();
}
