// The stand-in's verifier is only worth something if it is right on its own: pin it to the worked
// examples of the AWS SigV4 documentation, then show it agrees with the client's signer and
// catches each kind of tampering.
import { describe, expect, it } from 'vitest';
import { paapiLocale } from '../locales.js';
import { getItemsBody, getItemsRequest } from '../request.js';
import { createSigner, type SignedRequest } from '../sign.js';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
  signingKey,
  verify,
  type RawRequest,
  type VerifyOptions,
} from './sigv4.js';

const EXAMPLE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('SigV4 verifier against the AWS documentation examples', () => {
  it('derives the documented signing key', () => {
    expect(signingKey(EXAMPLE_SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });

  // IAM ListUsers, GET with an empty body, signed on 2015-08-30 12:36:00 UTC.
  const listUsers: RawRequest = {
    method: 'GET',
    target: '/?Version=2010-05-08&Action=ListUsers',
    headers: {
      host: 'iam.amazonaws.com',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-amz-date': '20150830T123600Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    },
    body: Buffer.alloc(0),
  };
  const iam: VerifyOptions = {
    secretFor: (k) => (k === 'AKIDEXAMPLE' ? EXAMPLE_SECRET : undefined),
    region: 'us-east-1',
    service: 'iam',
    now: new Date('2015-08-30T12:36:00Z'),
    maxSkewMs: 5 * 60_000,
  };

  it('builds the documented canonical request', () => {
    const canonical = canonicalRequest(listUsers, ['content-type', 'host', 'x-amz-date']);
    expect(canonical).toBe(
      [
        'GET',
        '/',
        'Action=ListUsers&Version=2010-05-08',
        'content-type:application/x-www-form-urlencoded; charset=utf-8',
        'host:iam.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        '',
        'content-type;host;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(sha256Hex(canonical ?? '')).toBe(
      'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59',
    );
  });

  it('accepts the documented signature and nothing else', () => {
    expect(verify(listUsers, iam)).toEqual({ ok: true, accessKey: 'AKIDEXAMPLE' });
    const auth = String(listUsers.headers.authorization);
    const flipped = {
      ...listUsers,
      headers: { ...listUsers.headers, authorization: auth.replace(/d7$/, 'd8') },
    };
    expect(verify(flipped, iam)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('encodes paths twice and sorts queries as the spec says', () => {
    expect(canonicalUri('/paapi5/getitems')).toBe('/paapi5/getitems');
    expect(canonicalUri('/a b/%2F')).toBe('/a%20b/%252F');
    expect(canonicalQuery('b=2&a=2&a=1&c')).toBe('a=1&a=2&b=2&c=');
  });
});

describe('SigV4 verifier against the client signer', () => {
  const de = paapiLocale('amazon.de');
  if (!de) throw new Error('amazon.de locale missing');
  const at = new Date('2026-03-02T10:00:00Z');
  const secret = 'paapi-secret-key-for-tests-0123456789abcd';
  const opts: VerifyOptions = {
    secretFor: (k) => (k === 'AKIAPAAPITEST0000001' ? secret : undefined),
    region: 'eu-west-1',
    service: 'ProductAdvertisingAPI',
    now: at,
    maxSkewMs: 5 * 60_000,
    mustSign: ['x-amz-target'],
  };

  async function signed(secretKey = secret, region = de!.region): Promise<SignedRequest> {
    const sign = createSigner({ accessKey: 'AKIAPAAPITEST0000001', secretKey })(region);
    return sign(getItemsRequest(de!, getItemsBody(de!, 'pricehawk-21', ['B0DE000001'])), at);
  }

  function raw(s: SignedRequest, patch: Partial<RawRequest> = {}): RawRequest {
    return {
      method: s.method,
      target: new URL(s.url).pathname,
      headers: s.headers,
      body: Buffer.from(s.body),
      ...patch,
    };
  }

  it('accepts what the client signs', async () => {
    const s = await signed();
    expect(s.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAPAAPITEST0000001\/20260302\/eu-west-1\/ProductAdvertisingAPI\/aws4_request, SignedHeaders=content-encoding;content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(verify(raw(s), opts)).toEqual({ ok: true, accessKey: 'AKIAPAAPITEST0000001' });
  });

  it('refuses a wrong secret, a changed body, a changed signed header, a wrong region', async () => {
    const s = await signed();
    expect(verify(raw(await signed('another-secret-key-0000000000000000000')), opts)).toMatchObject(
      {
        ok: false,
        reason: 'mismatch',
      },
    );
    expect(
      verify(raw(s, { body: Buffer.from(s.body.replace('B0DE000001', 'B0DE000002')) }), opts),
    ).toMatchObject({ ok: false, reason: 'mismatch' });
    const otherTarget = { ...s.headers, 'x-amz-target': `${s.headers['x-amz-target']}X` };
    expect(verify(raw(s, { headers: otherTarget }), opts)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verify(raw(await signed(secret, 'us-east-1')), opts)).toMatchObject({
      ok: false,
      reason: 'scope',
    });
  });

  it('refuses a timestamp more than five minutes away, either way', async () => {
    const s = await signed();
    const later = { ...opts, now: new Date(at.getTime() + 5 * 60_000 + 1000) };
    const earlier = { ...opts, now: new Date(at.getTime() - 5 * 60_000 - 1000) };
    const justInside = { ...opts, now: new Date(at.getTime() + 4 * 60_000) };
    expect(verify(raw(s), later)).toMatchObject({ ok: false, reason: 'expired' });
    expect(verify(raw(s), earlier)).toMatchObject({ ok: false, reason: 'expired' });
    expect(verify(raw(s), justInside)).toMatchObject({ ok: true });
  });

  it('refuses a request without a signature or with the operation unsigned', async () => {
    const s = await signed();
    const { authorization: _, ...unsigned } = s.headers;
    expect(verify(raw(s, { headers: unsigned }), opts)).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    const auth = String(s.headers.authorization).replace(';x-amz-target', '');
    expect(verify(raw(s, { headers: { ...s.headers, authorization: auth } }), opts)).toMatchObject({
      ok: false,
      reason: 'unsigned_header',
    });
  });
});
