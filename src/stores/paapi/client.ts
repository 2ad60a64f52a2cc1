/**
 * The PA-API 5 client: GetItems for up to any number of ASINs of one marketplace, in signed
 * requests of at most 10, one after another (PA-API's quota is requests per second, so firing
 * them together only gets the later ones throttled). HTTP goes through the injected `send`, which
 * the composition root wires to the one fetcher; pacing across calls, if wanted, belongs there too.
 */
import { emptyObservation, type Observation } from '../types.js';
import { PaapiError } from './errors.js';
import { paapiLocale, type PaapiLocale } from './locales.js';
import { chunk, getItemsBody, getItemsRequest, normalizeAsins } from './request.js';
import { errorForResponse, isItemsOnlyFailure, mapGetItems, PAAPI_STORE } from './response.js';
import { createSigner, type SignedRequest } from './sign.js';

export interface PaapiHttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * Sends one signed request exactly as given: POST, these headers (host included), this body.
 * Any header it adds must not be one of the signed ones.
 */
export type PaapiSend = (req: SignedRequest) => Promise<PaapiHttpResponse>;

export interface PaapiClientOptions {
  readonly accessKey: string;
  readonly secretKey: string;
  /**
   * The Associates tag sent as PartnerTag: one for every marketplace, or one per marketplace id
   * (a tag belongs to one store, e.g. "shop-20" on amazon.com and "shop-21" on amazon.de).
   */
  readonly partnerTag: string | Readonly<Record<string, string>>;
  readonly send: PaapiSend;
  readonly clock: () => Date;
}

export interface PaapiClient {
  /**
   * Observations for every ASIN asked for, keyed by upper-case ASIN; item-level problems are
   * observations (`not_found`, `error`). Throws PaapiError when a request as a whole fails; its
   * `partial` holds what earlier requests of the same call returned.
   */
  getItems(marketplaceId: string, asins: readonly string[]): Promise<Map<string, Observation>>;
}

export function createPaapiClient(opts: PaapiClientOptions): PaapiClient {
  const signerFor = createSigner({ accessKey: opts.accessKey, secretKey: opts.secretKey });

  function tagFor(marketplaceId: string): string | undefined {
    return typeof opts.partnerTag === 'string' ? opts.partnerTag : opts.partnerTag[marketplaceId];
  }

  async function getBatch(
    locale: PaapiLocale,
    partnerTag: string,
    asins: readonly string[],
  ): Promise<Map<string, Observation>> {
    const unsigned = getItemsRequest(locale, getItemsBody(locale, partnerTag, asins));
    const signed = await signerFor(locale.region)(unsigned, opts.clock());
    let res: PaapiHttpResponse;
    try {
      res = await opts.send(signed);
    } catch (cause) {
      const transient = (cause as { transient?: unknown } | null)?.transient;
      throw new PaapiError('paapi_send_failed', `PA-API request to ${locale.host} failed`, {
        cause,
        permanent: transient === false,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch (cause) {
      if (res.status === 200) {
        throw new PaapiError('paapi_bad_response', `PA-API answered 200 without JSON`, {
          upstreamStatus: 200,
          cause,
        });
      }
      json = undefined;
    }
    if (res.status === 200 || (res.status === 400 && isItemsOnlyFailure(json, asins))) {
      return mapGetItems(json, locale, asins);
    }
    throw errorForResponse(
      res.status,
      json,
      { retryAfter: header(res, 'retry-after') },
      opts.clock(),
    );
  }

  return {
    async getItems(marketplaceId, asins) {
      const locale = paapiLocale(marketplaceId);
      if (!locale) {
        throw new PaapiError(
          'paapi_unsupported_marketplace',
          `PA-API has no locale for ${marketplaceId}`,
        );
      }
      const partnerTag = tagFor(marketplaceId);
      if (!partnerTag) {
        throw new PaapiError(
          'paapi_unsupported_marketplace',
          `no PA-API partner tag configured for ${marketplaceId}`,
        );
      }
      const { valid, invalid } = normalizeAsins(asins);
      const out = new Map<string, Observation>();
      for (const a of invalid) {
        out.set(
          a,
          emptyObservation(PAAPI_STORE, 'not_found', { marketplace: marketplaceId, productId: a }),
        );
      }
      for (const batch of chunk(valid)) {
        try {
          for (const [asin, obs] of await getBatch(locale, partnerTag, batch)) out.set(asin, obs);
        } catch (err) {
          // Later batches would meet the same throttle or the same bad keys: stop here, and hand
          // back what was already paid for.
          if (err instanceof PaapiError) throw err.withPartial(new Map(out));
          throw err;
        }
      }
      return out;
    },
  };
}

function header(res: PaapiHttpResponse, name: string): string | undefined {
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
