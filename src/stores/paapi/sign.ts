/**
 * SigV4 signing with AWS's own signer (@smithy/signature-v4). The stand-in in testing/ checks
 * the result with an independent implementation, so a change in either shows up as a test failure.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { PAAPI_SERVICE } from './locales.js';
import type { UnsignedRequest } from './request.js';

export interface PaapiCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** A request ready for `send`: every header it must carry, x-amz-date and authorization included. */
export interface SignedRequest {
  readonly method: 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type PaapiSigner = (req: UnsignedRequest, at: Date) => Promise<SignedRequest>;

/** One signer per region: the signer caches derived keys, which are per region and day. */
export function createSigner(credentials: PaapiCredentials): (region: string) => PaapiSigner {
  const byRegion = new Map<string, SignatureV4>();
  return (region) => {
    let v4 = byRegion.get(region);
    if (!v4) {
      v4 = new SignatureV4({
        credentials: {
          accessKeyId: credentials.accessKey,
          secretAccessKey: credentials.secretKey,
        },
        region,
        service: PAAPI_SERVICE,
        sha256: Sha256,
        // PA-API's documented signed headers are content-encoding, content-type, host,
        // x-amz-date and x-amz-target; x-amz-content-sha256 is an S3 habit it does not need.
        applyChecksum: false,
      });
      byRegion.set(region, v4);
    }
    const signer = v4;
    return async (req, at) => {
      const signed = await signer.sign(
        {
          method: req.method,
          protocol: 'https:',
          hostname: req.host,
          path: req.path,
          query: {},
          headers: { ...req.headers },
          body: req.body,
        },
        { signingDate: at },
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
      return { method: req.method, url: `https://${req.host}${req.path}`, headers, body: req.body };
    };
  };
}
