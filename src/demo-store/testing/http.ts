/**
 * Raw HTTP for the demo-store tests: node:http rather than fetch, so bodies arrive exactly as
 * sent (still compressed) and a truncated response is visible as such.
 */
import http from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export async function json<T = unknown>(
  url: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; body: T; headers: http.IncomingHttpHeaders }> {
  const res = await request(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: JSON.parse(res.body.toString('utf8')) as T,
    headers: res.headers,
  };
}

interface DecimalRange {
  min: string;
  max: string;
}

/** A product as GET /_admin/products shows it. */
export interface AdminProduct {
  asin: string;
  marketplace: string;
  url: string;
  shortUrl: string;
  title: string;
  price: string | null;
  currency: string;
  listPrice: string | null;
  priceRange: DecimalRange | null;
  availability: 'in_stock' | 'out_of_stock';
  category: string;
  layout: string;
  pinned: boolean;
  fault: string | null;
  expected: {
    productId: string | null;
    price: string | null;
    listPrice: string | null;
    priceRange: DecimalRange | null;
    availability: 'in_stock' | 'out_of_stock' | 'unknown';
    soldByStore: boolean | null;
    offers: { new: string | null; used: string | null };
  };
}

/** A wishlist as GET /_admin/wishlists shows it. */
export interface AdminWishlist {
  id: string;
  marketplace: string;
  name: string;
  url: string;
  asins: string[];
}
