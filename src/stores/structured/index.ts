/**
 * Structured-data stores: any shop page describing its product with schema.org JSON-LD, microdata
 * or Open Graph product tags, checked against the price the page shows.
 *
 * - productId is the page's canonical URL (urls.ts says why), marketplace its host without "www.".
 * - `confidence` follows the rules in decide.ts; a visible price alone never becomes the price.
 * - A price whose currency nothing on the page states takes the locale's or domain's currency with
 *   confidence at most 0.5, or stays null (outcome still "ok", confidence 0.2) when even that fails.
 * - Pages with no product data at all are "unsupported".
 */
export { extractStructured, STORE, type ExtractContext } from './extract.js';
