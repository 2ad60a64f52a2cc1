/**
 * What can go wrong with a GetItems call as a whole, as opposed to one item (an unknown ASIN is
 * an observation, `not_found`, never an error). Codes are stable; `permanent` says whether
 * trying again without an operator changing something (keys, tag, clock) can help.
 */
import { AppError } from '../../errors.js';
import type { Observation } from '../types.js';

export type PaapiErrorCode =
  /** 429 TooManyRequests: PA-API allows a number of requests per second; wait `retryAfterMs`. */
  | 'paapi_throttled'
  /** 401 InvalidSignature, 400 IncompleteSignature: a wrong secret key (or a signing bug). */
  | 'paapi_invalid_signature'
  /** 401 with an expired signature, RequestExpired: this machine's clock is off. */
  | 'paapi_clock_skew'
  /** 401 UnrecognizedClient: the access key is unknown to PA-API. */
  | 'paapi_unrecognized_client'
  /** 403 AccessDenied, AccessDeniedAwsUsers, InvalidAssociate: keys not enabled for PA-API. */
  | 'paapi_access_denied'
  /** 400 InvalidPartnerTag: the tag is not an Associates store of these keys in this locale. */
  | 'paapi_invalid_partner_tag'
  /** Any other 4xx: a request PA-API will never accept as built. */
  | 'paapi_bad_request'
  /** 5xx or InternalFailure: PA-API's trouble, worth retrying later. */
  | 'paapi_unavailable'
  /** A 200 whose body is not PA-API's JSON (a proxy's page, a truncated body). */
  | 'paapi_bad_response'
  /** `send` itself failed (network, SSRF guard); see the cause. */
  | 'paapi_send_failed'
  /** No PA-API locale or no partner tag for the marketplace asked for. */
  | 'paapi_unsupported_marketplace';

const TRANSIENT: ReadonlySet<PaapiErrorCode> = new Set([
  'paapi_throttled',
  'paapi_unavailable',
  'paapi_bad_response',
]);

export interface PaapiErrorDetails {
  /** HTTP status PA-API answered with; null when no answer was read. */
  readonly upstreamStatus?: number | null;
  /** PA-API's own error code (`Errors[0].Code`), e.g. "InvalidSignature". */
  readonly upstreamCode?: string | null;
  /** For `paapi_throttled`: how long to wait before the next request to this locale. */
  readonly retryAfterMs?: number | null;
  /** Observations of the batches that succeeded before this one failed: quota already spent. */
  readonly partial?: ReadonlyMap<string, Observation>;
  /** Overrides the code's default, e.g. a `send` failure the fetcher marks as transient. */
  readonly permanent?: boolean;
  readonly cause?: unknown;
}

export class PaapiError extends AppError {
  declare readonly code: PaapiErrorCode;
  readonly upstreamStatus: number | null;
  readonly upstreamCode: string | null;
  readonly retryAfterMs: number | null;
  readonly partial: ReadonlyMap<string, Observation>;
  readonly permanent: boolean;

  constructor(code: PaapiErrorCode, message: string, details: PaapiErrorDetails = {}) {
    // 503 when waiting helps, 502 when the upstream refused us for good: how the API presents it.
    super(code, message, TRANSIENT.has(code) ? 503 : 502, { cause: details.cause });
    this.name = 'PaapiError';
    this.upstreamStatus = details.upstreamStatus ?? null;
    this.upstreamCode = details.upstreamCode ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.partial = details.partial ?? new Map();
    this.permanent = details.permanent ?? !TRANSIENT.has(code);
  }

  /** The same error, carrying the observations gathered before it. */
  withPartial(partial: ReadonlyMap<string, Observation>): PaapiError {
    return new PaapiError(this.code, this.message, {
      upstreamStatus: this.upstreamStatus,
      upstreamCode: this.upstreamCode,
      retryAfterMs: this.retryAfterMs,
      partial,
      permanent: this.permanent,
      cause: this.cause,
    });
  }
}
