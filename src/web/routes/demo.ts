import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebDeps } from '../app.js';
import { MoneyJson } from '../presenters.js';

export interface DemoProductInfo {
  readonly asin: string;
  readonly marketplace: string;
  readonly url: string;
  readonly title: string;
  readonly price: { amount: string; currency: string } | null;
  readonly imageUrl: string;
}

export interface DemoStoreInfo {
  readonly baseUrl: string;
  sample(limit: number): Promise<readonly DemoProductInfo[]>;
}

export const demoRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/demo-store',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The built-in demo store and some of its products, for trying Pricehawk offline',
          response: {
            200: z.object({
              enabled: z.boolean(),
              url: z.string().nullable(),
              products: z.array(
                z.object({
                  asin: z.string(),
                  marketplace: z.string(),
                  url: z.string(),
                  title: z.string(),
                  price: MoneyJson.nullable(),
                  imageUrl: z.string(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => {
        const d = deps.demoStore;
        if (!d) return { enabled: false, url: null, products: [] };
        try {
          return { enabled: true, url: d.baseUrl, products: [...(await d.sample(24))] };
        } catch (err) {
          // The demo store is a convenience: when it cannot be reached, say so without failing.
          req.log.warn({ err }, 'demo store listing unavailable');
          return { enabled: true, url: d.baseUrl, products: [] };
        }
      },
    );

    app.get(
      '/marketplaces',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Every marketplace Pricehawk reads, the demo store included when it runs',
          response: {
            200: z.object({
              marketplaces: z.array(
                z.object({
                  id: z.string(),
                  store: z.string(),
                  name: z.string(),
                  currency: z.string(),
                  host: z.string(),
                }),
              ),
            }),
          },
        },
      },
      () => ({ marketplaces: [...deps.stores.marketplaces()] }),
    );
  };
