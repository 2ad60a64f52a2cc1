/**
 * A local PA-API 5 for tests, on 127.0.0.1. It checks every request the way PA-API does before
 * answering — SigV4 (by the independent verifier in sigv4.ts), clock skew, operation, partner
 * tag, marketplace, ItemIds — and answers with PA-API's error shapes
 * (`{"__type": "com.amazon.paapi5#…Exception", "Errors": [{Code, Message}]}`) or with GetItems
 * results built from the items it was given.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaapiHttpResponse } from '../client.js';
import { GETITEMS_PATH, GETITEMS_TARGET, MAX_ITEMS_PER_REQUEST } from '../request.js';
import type { SignedRequest } from '../sign.js';
import { verify, type VerifyResult } from './sigv4.js';

export interface StandinOptions {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly partnerTag: string;
  /** The PA-API host this stand-in plays ("webservices.amazon.de"); requests must sign it. */
  readonly host: string;
  readonly region: string;
  /** Body `Marketplace` it accepts ("www.amazon.de"). */
  readonly marketplace: string;
  /** Catalogue: ASIN → the item object GetItems returns for it. */
  readonly items: Readonly<Record<string, unknown>>;
  /** The stand-in's own clock, for skew and throttling; default the real one. */
  readonly clock?: () => Date;
  /** Accepted distance between X-Amz-Date and the stand-in's clock. Default 5 minutes. */
  readonly maxSkewMs?: number;
  /** Requests accepted per clock second before TooManyRequests; default unlimited. */
  readonly requestsPerSecond?: number;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly verification: VerifyResult;
  /** ItemIds of a well-formed GetItems body, else []. */
  readonly itemIds: readonly string[];
  readonly status: number;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Standin {
  /** http://127.0.0.1:port */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  /** The next request (after verification passes) gets this answer instead. */
  failNext(res: ScriptedResponse): void;
  close(): Promise<void>;
}

const PAAPI = 'com.amazon.paapi5#';

function paapiError(type: string, code: string, message: string): unknown {
  return { __type: `${PAAPI}${type}`, Errors: [{ Code: code, Message: message }] };
}

const SIGNING_DOC =
  'If you are using an AWS SDK, requests are signed for you automatically; otherwise, go to https://webservices.amazon.com/paapi5/documentation/sending-request.html#signing.';

/** The answers PA-API gives when it refuses a request, by what went wrong. */
export const REFUSALS = {
  incompleteSignature: {
    status: 400,
    body: paapiError(
      'IncompleteSignatureException',
      'IncompleteSignature',
      `The request signature did not include all of the required components. ${SIGNING_DOC}`,
    ),
  },
  invalidSignature: {
    status: 401,
    body: paapiError(
      'InvalidSignatureException',
      'InvalidSignature',
      `The request has not been correctly signed. ${SIGNING_DOC}`,
    ),
  },
  unrecognizedClient: {
    status: 401,
    body: paapiError(
      'UnrecognizedClientException',
      'UnrecognizedClient',
      'The Access Key ID or security token included in the request is invalid.',
    ),
  },
  tooManyRequests: {
    status: 429,
    body: paapiError(
      'TooManyRequestsException',
      'TooManyRequests',
      'The request was denied due to request throttling. Please verify the number of requests made per second to the Amazon Product Advertising API.',
    ),
  },
  unknownOperation: {
    status: 404,
    body: paapiError(
      'UnknownOperationException',
      'UnknownOperation',
      'The operation requested is invalid. Please verify that the operation name is typed correctly.',
    ),
  },
  invalidPartnerTag: {
    status: 400,
    body: paapiError(
      'InvalidPartnerTagException',
      'InvalidPartnerTag',
      'The partner tag is not mapped to a valid associate store with your access key. Please visit associates central.',
    ),
  },
  internalFailure: {
    status: 500,
    body: paapiError(
      'InternalFailureException',
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
    ),
  },
} as const satisfies Record<string, ScriptedResponse>;

function signatureExpired(amzDate: string, now: Date, maxSkewMs: number): ScriptedResponse {
  const stamp = (d: Date) => d.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const earliest = new Date(now.getTime() - maxSkewMs);
  return {
    status: 401,
    body: paapiError(
      'InvalidSignatureException',
      'InvalidSignature',
      `Signature expired: ${amzDate} is now earlier than ${stamp(earliest)} (${stamp(now)} - ${maxSkewMs / 60_000} min.)`,
    ),
  };
}

function validation(message: string): ScriptedResponse {
  return {
    status: 400,
    body: paapiError('ValidationException', 'InvalidParameterValue', message),
  };
}

const ASIN = /^[A-Z0-9]{10}$/;

export async function startStandin(o: StandinOptions): Promise<Standin> {
  const clock = o.clock ?? (() => new Date());
  const maxSkewMs = o.maxSkewMs ?? 5 * 60_000;
  const requests: ReceivedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const perSecond = new Map<number, number>();

  function answer(
    req: http.IncomingMessage,
    raw: Buffer,
  ): { res: ScriptedResponse; verification: VerifyResult; itemIds: string[] } {
    const now = clock();
    const verification = verify(
      { method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers, body: raw },
      {
        secretFor: (k) => (k === o.accessKey ? o.secretKey : undefined),
        region: o.region,
        service: 'ProductAdvertisingAPI',
        now,
        maxSkewMs,
        mustSign: ['x-amz-target'],
      },
    );
    const none: string[] = [];
    if (!verification.ok) {
      switch (verification.reason) {
        case 'missing':
        case 'unsigned_header':
          return { res: REFUSALS.incompleteSignature, verification, itemIds: none };
        case 'unknown_key':
          return { res: REFUSALS.unrecognizedClient, verification, itemIds: none };
        case 'expired':
          return {
            res: signatureExpired(String(req.headers['x-amz-date']), now, maxSkewMs),
            verification,
            itemIds: none,
          };
        case 'scope':
        case 'mismatch':
          return { res: REFUSALS.invalidSignature, verification, itemIds: none };
      }
    }
    // The signature covers the host header; it must also be the host this stand-in plays.
    if (req.headers.host !== o.host) {
      return { res: REFUSALS.invalidSignature, verification, itemIds: none };
    }
    if (
      req.method !== 'POST' ||
      req.url !== GETITEMS_PATH ||
      req.headers['x-amz-target'] !== GETITEMS_TARGET
    ) {
      return { res: REFUSALS.unknownOperation, verification, itemIds: none };
    }
    if (o.requestsPerSecond !== undefined) {
      const second = Math.floor(now.getTime() / 1000);
      const n = (perSecond.get(second) ?? 0) + 1;
      perSecond.set(second, n);
      if (n > o.requestsPerSecond) {
        return { res: REFUSALS.tooManyRequests, verification, itemIds: none };
      }
    }
    const next = scripted.shift();
    if (next) return { res: next, verification, itemIds: none };

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return {
        res: validation('The request body is not valid JSON.'),
        verification,
        itemIds: none,
      };
    }
    if (body.PartnerTag !== o.partnerTag || body.PartnerType !== 'Associates') {
      return { res: REFUSALS.invalidPartnerTag, verification, itemIds: none };
    }
    if (body.Marketplace !== o.marketplace) {
      return {
        res: validation(
          `The value [${String(body.Marketplace)}] provided in the request for Marketplace is invalid.`,
        ),
        verification,
        itemIds: none,
      };
    }
    const ids = Array.isArray(body.ItemIds) ? body.ItemIds.map(String) : [];
    if (ids.length === 0 || ids.length > MAX_ITEMS_PER_REQUEST || body.ItemIdType !== 'ASIN') {
      return {
        res: validation('The value provided in the request for ItemIds is invalid.'),
        verification,
        itemIds: ids,
      };
    }
    const found: unknown[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const item = o.items[id];
      if (item !== undefined) found.push(item);
      else if (!ASIN.test(id)) {
        errors.push({
          __type: `${PAAPI}ErrorData`,
          Code: 'InvalidParameterValue',
          Message: `The ItemId ${id} provided in the request is invalid.`,
        });
      } else {
        errors.push({
          __type: `${PAAPI}ErrorData`,
          Code: 'ItemNotAccessible',
          Message: `The ItemId ${id} is not accessible through the Product Advertising API.`,
        });
      }
    }
    return {
      res: {
        status: 200,
        body: {
          ...(errors.length ? { Errors: errors } : {}),
          ...(found.length ? { ItemsResult: { Items: found } } : {}),
        },
      },
      verification,
      itemIds: ids,
    };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const { res: out, verification, itemIds } = answer(req, raw);
      requests.push({
        method: req.method ?? '',
        target: req.url ?? '',
        headers: req.headers,
        body: raw.toString('utf8'),
        verification,
        itemIds,
        status: out.status,
      });
      res.writeHead(out.status, {
        'content-type': 'application/json',
        'x-amzn-requestid': `standin-${requests.length}`,
        ...out.headers,
      });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failNext: (r) => scripted.push(r),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * A `send` for tests: the signed request, unchanged (Host header included), to the stand-in's
 * address instead of the real host. node:http rather than fetch, because fetch may not set Host.
 */
export function sendTo(
  origin: string,
  tamper?: (req: SignedRequest) => SignedRequest,
): (req: SignedRequest) => Promise<PaapiHttpResponse> {
  return (signed) => {
    const req = tamper ? tamper(signed) : signed;
    const path = new URL(req.url).pathname;
    return new Promise((resolve, reject) => {
      const r = http.request(
        `${origin}${path}`,
        { method: req.method, headers: req.headers, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
        },
      );
      r.on('error', reject);
      r.end(req.body);
    });
  };
}
