/**
 * The demo store: a local storefront in Amazon's page markup (five marketplaces, moving prices,
 * injectable faults, an admin API), so Pricehawk can be used, tested and benchmarked offline.
 */
export {
  createDemoStore,
  type DemoStore,
  type DemoStoreLogger,
  type DemoStoreOptions,
} from './server.js';
export type { DemoProduct, PriceMoves, ProductChange } from './store.js';
export { PAGE_LAYOUTS, type PageLayout } from './catalogue.js';
export { LAYOUTS, type ExpectedReading, type LayoutInfo } from './layouts.js';
export type { Wishlist, WishlistEntry } from './wishlists.js';
export { DEFAULT_PAGE_CACHE_BYTES, type PageCacheStats } from './page-cache.js';
export {
  demoMarketplaces,
  demoMarketplaceById,
  demoMarketplaceByCode,
  type DemoMarketplace,
  type DemoMarketplaceCode,
} from './marketplaces.js';
export {
  isDemoShortLink,
  onDemoOrigin,
  parseDemoUrl,
  parseDemoWishlistUrl,
  type ParsedDemoUrl,
  type ParsedDemoWishlist,
} from './urls.js';
export { FAULTS, type Fault, type FaultRates } from './faults.js';
export { runDemoStore, type RunDemoStoreOptions, type RunningDemoStore } from './cli.js';
