/**
 * The demo store in its own process (so its CPU is not ours), optionally pinned to one core by
 * the parent. `warm` requests every product page once with a given Accept-Encoding, so that timed
 * runs measure serving, not first renders.
 *
 * Args: --products N (default 240) --seed S (default 1)
 */
import { request, Agent } from 'undici';
import { createDemoStore } from '../../src/demo-store/index.js';
import { argValue, serveIpc } from '../lib/serve-ipc.js';

const productCount = Number(argValue('products', '240'));
const seed = Number(argValue('seed', '1'));
const store = createDemoStore({ productCount, seed, priceMoves: { enabled: false, speed: 0 } });
const { url } = await store.listen(0, '127.0.0.1');
const cpuAtStart = process.cpuUsage();

serveIpc(
  {
    products: () =>
      store.products().map((p) => ({
        asin: p.asin,
        marketplace: p.marketplace,
        path: p.path,
        currency: p.currency,
        priceMinor: p.priceMinor,
        availability: p.availability,
      })),
    warm: async (args) => {
      const encoding = typeof args.encoding === 'string' ? args.encoding : 'gzip';
      const concurrency = Number(args.concurrency ?? 4);
      const paths = store.products().map((p) => p.path);
      const agent = new Agent({ connections: concurrency });
      const started = performance.now();
      let bytes = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < paths.length; i = next++) {
            const res = await request(`${url}${paths[i] ?? '/'}`, {
              dispatcher: agent,
              headers: { 'accept-encoding': encoding },
            });
            for await (const chunk of res.body) bytes += (chunk as Buffer).length;
            if (res.statusCode !== 200) throw new Error(`warm ${paths[i]}: ${res.statusCode}`);
          }
        }),
      );
      await agent.close();
      return {
        pages: paths.length,
        seconds: (performance.now() - started) / 1000,
        meanBytes: bytes / paths.length,
      };
    },
    /** CPU of this process since it started, or since `reset`. */
    cpu: () => {
      const u = process.cpuUsage(cpuAtStart);
      return { cpuMs: (u.user + u.system) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 };
    },
  },
  { url, products: productCount },
  () => store.close(),
);
