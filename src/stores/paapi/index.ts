/**
 * Amazon Product Advertising API 5 as a second source of Amazon observations, for operators with
 * PA-API credentials: GetItems, 10 ASINs per SigV4-signed request, answers mapped to the same
 * Observation the page extractor produces (store "paapi").
 */
export {
  createPaapiClient,
  type PaapiClient,
  type PaapiClientOptions,
  type PaapiHttpResponse,
  type PaapiSend,
} from './client.js';
export { PaapiConfig, paapiEnvShape, type PaapiSettings } from './config.js';
export { PaapiError, type PaapiErrorCode } from './errors.js';
export {
  PAAPI_LOCALES,
  PAAPI_SERVICE,
  isPaapiHost,
  paapiLocale,
  type PaapiLocale,
} from './locales.js';
export { GETITEMS_RESOURCES, MAX_ITEMS_PER_REQUEST } from './request.js';
export { PAAPI_STORE } from './response.js';
export { createPaapiSource, type BulkRead, type BulkSource } from './source.js';
export type { SignedRequest } from './sign.js';
