/** The watchlist: watches and their rules, statuses, bulk import and CSV export. */
export {
  WATCH_STATUSES,
  holdsNow,
  startState,
  thresholdMinor,
  type RuleInput,
  type RuleType,
  type WatchStatus,
} from './rules.js';
export {
  WATCH_SORTS,
  createWatch,
  currentReading,
  deleteWatch,
  findWatchId,
  getWatch,
  listWatches,
  updateWatch,
  type ListOptions,
  type WatchPatch,
  type WatchRecord,
  type WatchSort,
  type WatchView,
} from './watches.js';
export {
  addIdentifiedProduct,
  addProduct,
  resolveIdentity,
  type AddProductDeps,
} from './add-product.js';
export {
  importWatches,
  type ImportDeps,
  type ImportInput,
  type ImportItemResult,
  type ImportOptions,
} from './import.js';
export { identifyWishlist, readWishlist, type WishlistRead, type WishlistRef } from './wishlist.js';
export { EXPORT_COLUMNS, watchesCsv } from './export.js';
export { csvDocument, csvField, csvRecord } from './csv.js';
