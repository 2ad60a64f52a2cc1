/**
 * The catalogue: shared products (found or created by marketplace and external id), search over
 * them and over the stores, price history and statistics, deals, feeds and charts.
 */
export {
  findOrCreateProduct,
  getProduct,
  getProductForViewer,
  priceHistory,
  requestCheck,
  type PricePoint,
  type ProductRecord,
} from './products.js';
export {
  buildQueries,
  queryWords,
  searchCatalog,
  tsLexeme,
  type CatalogHit,
  type CatalogSearchQuery,
  type QueryWord,
} from './search.js';
export {
  createStoreSearcher,
  type SourceStatus,
  type StoreHit,
  type StoreSearcher,
  type StoreSearcherOptions,
  type StoreSearchOutcome,
} from './store-search.js';
export {
  mergeResults,
  productsByKeys,
  searchEverywhere,
  type SearchRequest,
  type SearchResult,
  type SearchSource,
  type SourceReport,
} from './search-all.js';
export {
  loadHistory,
  loadStats,
  POINTS_PER_BUCKET,
  type HistoryAnswer,
  type HistoryPoint,
  type HistoryQuery,
  type HistorySeries,
  type SeriesStats,
} from './history.js';
export { popularProducts, topDrops, type DealsQuery, type Drop } from './deals.js';
export {
  FEED_TOKEN_PATTERN,
  feedToken,
  recentChanges,
  rotateFeedToken,
  userAlerts,
  userForFeedToken,
  type AlertEntry,
  type PriceChange,
} from './feeds.js';
export { renderAtom, type AtomEntry, type AtomFeed } from './render/atom.js';
export { renderPriceChart, type ChartInput, type ChartPoint } from './render/chart.js';
export { htmlEscape, truncate, xmlEscape } from './render/xml.js';
