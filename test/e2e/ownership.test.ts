/**
 * Ownership on every route of the OpenAPI document (GET /api/openapi.json): Alice owns one of
 * everything an account can own; Bob, logged in, with a read-only API token, with a read-write API
 * token, and nobody at all, then call every operation that names an object or acts on "me", with
 * Alice's ids and the bodies Alice's own successful calls used. Each call must be refused (404, or
 * 403 where that is the route's contract, 401 without credentials), and afterwards everything of
 * Alice's reads the same, through her own GETs and row by row in SQL.
 *
 * Every operation of the document must be classified below; a route added later without a
 * classification fails the first test, so nobody can add a user-owned route without it being tried.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts } from '../helpers/demo.js';
import { ApiClient } from '../helpers/http.js';
import { loadApiDocument, type ApiDocument, type Operation } from '../helpers/openapi.js';
import { startTwilioStandin, type TwilioStandin } from '../standins/twilio.js';

// A clock that stands still: session and token "last used" times, the export's timestamp and
// every other clock-derived field stay put, so "unchanged" can mean byte for byte.
const NOW = new Date();
const ACCOUNT_SID = 'AC' + '1'.repeat(32);
const AUTH_TOKEN = 'twilio-auth-token-for-ownership';
const BOT = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: any;
}

/** One caller: a cookie jar (as a browser), a Bearer token (as a script), or neither. */
class Caller {
  cookie: string | undefined;
  constructor(
    readonly baseUrl: string,
    readonly bearer?: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`${this.baseUrl}${path}`, {
      method: method as 'GET',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers['set-cookie'];
    for (const c of Array.isArray(set) ? set : set ? [set] : []) {
      const pair = c.split(';')[0] ?? '';
      if (pair.startsWith('ph_session=')) this.cookie = pair.endsWith('=') ? undefined : pair;
    }
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, text, json };
  }
}

/** What Alice owns, and the bodies her own successful calls sent. */
interface Alice {
  id: number;
  email: string;
  name: string;
  password: string;
  productIds: number[];
  watchIds: number[];
  notificationIds: number[];
  sessionIds: number[];
  tokenIds: number[];
  /** The channels she set up or changed (email: turned off), with the PUT bodies that did it. */
  channelBodies: Record<string, unknown>;
  smsStart: { phone: string };
  smsConfirm: { code: string };
  pushId: number;
  pushEndpoint: string;
  feedToken: string;
  deadDeliveryId: number;
  deadMailId: number;
  bodies: {
    addProduct: unknown[];
    watches: unknown[];
    importWatches: unknown;
    patchWatch: unknown[];
    readNotification: unknown[];
    patchMe: unknown;
    tokens: unknown[];
  };
  /** Strings that must never appear in an answer to anyone else. */
  secrets: string[];
}

/** The caller, as the checks of an answer need it. */
interface Me {
  readonly id: number;
}

type Status = number | readonly number[];
interface Outcome {
  readonly status: Status;
  readonly code?: string;
}

interface Attempt {
  readonly path: string;
  readonly body?: unknown;
  /** What Bob, logged in with a session, gets. Token and anonymous callers are derived. */
  readonly bob: Outcome;
  /** A further check of Bob's answer: a message when it is wrong. */
  readonly check?: (a: Answer, me: Me) => string | undefined;
  /** 0: reads and refusals; 1: Bob's changes to his own account; 2: ends Bob's sessions. */
  readonly phase?: 0 | 1 | 2;
}

type Rule =
  | {
      /** Anyone may call it: it holds nothing of one user's, or a secret in it is the authority. */
      readonly access: 'public';
      readonly why: string;
      /** For routes with path parameters: what Bob tries with Alice's ids or near-miss secrets. */
      readonly probes?: (a: Alice) => Attempt[];
      /** Alice's own reads of it, compared before and after. */
      readonly aliceViews?: (a: Alice) => string[];
    }
  | {
      /**
       * owned: the path names one of Alice's objects; self: acts on the caller's own account;
       * shared: needs a log-in but acts on the shared catalogue; operator: ADMIN_EMAILS only.
       */
      readonly access: 'owned' | 'self' | 'shared' | 'operator';
      readonly why?: string;
      /** Refused to API tokens (config.sessionOnly): credentials and sessions. */
      readonly sessionOnly?: boolean;
      readonly tries: (a: Alice) => Attempt[];
    };

const ids = (list: unknown, key = 'id'): number[] =>
  Array.isArray(list) ? list.map((x: Record<string, unknown>) => Number(x[key])) : [];

/** A message when any of `mine` is in `theirs`. */
const disjoint = (what: string, theirs: number[], mine: number[]) => {
  const shared = theirs.filter((x) => mine.includes(x));
  return shared.length ? `${what} of Alice's in the answer: ${shared.join(', ')}` : undefined;
};

const notFound = (code: string): Outcome => ({ status: 404, code });

/**
 * Every operation of the OpenAPI document, classified. Public routes say why in one line.
 */
const RULES: Record<string, Rule> = {
  // --- public ---------------------------------------------------------------------------------
  'GET /healthz': { access: 'public', why: 'liveness of the process; no user data' },
  'GET /readyz': { access: 'public', why: 'readiness of the process; no user data' },
  'POST /api/v1/auth/signup': { access: 'public', why: 'creates a new account, touches no other' },
  'POST /api/v1/auth/login': { access: 'public', why: 'the email and password are the authority' },
  'POST /api/v1/auth/logout': {
    access: 'public',
    why: 'ends only the session whose cookie is sent',
  },
  'POST /api/v1/auth/verify-email': {
    access: 'public',
    why: 'the emailed single-use token is the authority',
  },
  'POST /api/v1/auth/password-reset': {
    access: 'public',
    why: 'answers 202 for any address (no enumeration); only the emailed link acts',
  },
  'POST /api/v1/auth/password-reset/confirm': {
    access: 'public',
    why: 'the emailed single-use token is the authority',
  },
  'POST /api/v1/auth/confirm-email': {
    access: 'public',
    why: 'the emailed single-use token is the authority',
  },
  'GET /api/v1/demo-store': { access: 'public', why: "the built-in demo store's catalogue" },
  'GET /api/v1/marketplaces': { access: 'public', why: 'the fixed list of marketplaces' },
  'GET /api/v1/search': { access: 'public', why: 'searches the shared catalogue and the stores' },
  'GET /api/v1/deals': { access: 'public', why: 'price drops of the shared catalogue, anonymous' },
  'GET /api/v1/products/{id}': {
    access: 'public',
    why: 'products are a shared catalogue; only "watching" is per caller',
    probes: (a) =>
      a.productIds.map((id) => ({
        path: `/api/v1/products/${id}`,
        bob: { status: 200 },
        // Bob watches nothing yet (phase 0): Alice's watch must not show through.
        check: (ans) =>
          ans.json?.product?.watching === false ? undefined : 'says "watching" for Alice’s watch',
      })),
  },
  'GET /api/v1/products/{id}/history': {
    access: 'public',
    why: 'price history of a shared product',
    probes: (a) =>
      a.productIds.map((id) => ({
        path: `/api/v1/products/${id}/history`,
        bob: { status: 200 },
        check: (ans) => (ans.json?.productId === id ? undefined : 'not this product’s history'),
      })),
  },
  'GET /feeds/products/{id}.xml': {
    access: 'public',
    why: 'price changes of a shared product, as Atom',
    probes: (a) =>
      a.productIds.map((id) => ({
        path: `/feeds/products/${id}.xml`,
        bob: { status: 200 },
        check: (ans) => (ans.text.includes('<feed') ? undefined : 'not an Atom feed'),
      })),
  },
  'GET /charts/products/{id}.svg': {
    access: 'public',
    why: 'a chart of a shared product',
    probes: (a) =>
      a.productIds.map((id) => ({
        path: `/charts/products/${id}.svg`,
        bob: { status: 200 },
        check: (ans) => (ans.text.includes('<svg') ? undefined : 'not an SVG image'),
      })),
  },
  'GET /feeds/alerts/{token}.xml': {
    access: 'public',
    why: 'the secret token in the URL is the authority (GET /me/feed shows it to its owner)',
    probes: (a) => [
      // One character off Alice's token, and her user id where the token goes.
      {
        path: `/feeds/alerts/${nearMiss(a.feedToken)}.xml`,
        bob: notFound('feed_not_found'),
      },
      { path: `/feeds/alerts/${a.id}.xml`, bob: notFound('feed_not_found') },
    ],
    aliceViews: (a) => [`/feeds/alerts/${a.feedToken}.xml`],
  },
  'GET /api/v1/unsubscribe/{token}': {
    access: 'public',
    why: "the HMAC-signed token in the email's link is the authority (a page for people)",
    probes: (a) => [
      { path: `/api/v1/unsubscribe/${forgedUnsubscribe(a.id)}`, bob: { status: 400 } },
    ],
  },
  'POST /api/v1/unsubscribe/{token}': {
    access: 'public',
    why: "the HMAC-signed token in the email's link is the authority (RFC 8058 one-click)",
    probes: (a) => [
      {
        path: `/api/v1/unsubscribe/${forgedUnsubscribe(a.id)}`,
        body: { 'List-Unsubscribe': 'One-Click' },
        bob: { status: 400, code: 'invalid_token' },
      },
    ],
  },

  // --- shared catalogue, logged in --------------------------------------------------------------
  'POST /api/v1/products': {
    access: 'shared',
    why: 'finds or adds a product of the shared catalogue',
    tries: (a) =>
      a.bodies.addProduct.map((body) => ({
        path: '/api/v1/products',
        body,
        bob: { status: 200 },
        phase: 1,
      })),
  },
  'POST /api/v1/products/{id}/check': {
    access: 'shared',
    why: 'asks for a check of a shared product (once a minute per product, whoever asks)',
    tries: (a) =>
      a.productIds.map((id) => ({
        path: `/api/v1/products/${id}/check`,
        bob: { status: [202, 429] },
        phase: 1,
      })),
  },

  // --- operators --------------------------------------------------------------------------------
  'GET /api/v1/admin/dead-letters': {
    access: 'operator',
    tries: () => [{ path: '/api/v1/admin/dead-letters', bob: { status: 403, code: 'forbidden' } }],
  },
  'POST /api/v1/admin/dead-letters/{source}/{id}/retry': {
    access: 'operator',
    tries: (a) => [
      {
        path: `/api/v1/admin/dead-letters/alert/${a.deadDeliveryId}/retry`,
        bob: { status: 403, code: 'forbidden' },
      },
      {
        path: `/api/v1/admin/dead-letters/account_email/${a.deadMailId}/retry`,
        bob: { status: 403, code: 'forbidden' },
      },
    ],
  },

  // --- the path names one of Alice's objects ----------------------------------------------------
  'GET /api/v1/watches/{id}': {
    access: 'owned',
    tries: (a) =>
      a.watchIds.map((id) => ({ path: `/api/v1/watches/${id}`, bob: notFound('watch_not_found') })),
  },
  'PATCH /api/v1/watches/{id}': {
    access: 'owned',
    tries: (a) =>
      a.watchIds.flatMap((id) =>
        a.bodies.patchWatch.map((body) => ({
          path: `/api/v1/watches/${id}`,
          body,
          bob: notFound('watch_not_found'),
        })),
      ),
  },
  'DELETE /api/v1/watches/{id}': {
    access: 'owned',
    tries: (a) =>
      a.watchIds.map((id) => ({ path: `/api/v1/watches/${id}`, bob: notFound('watch_not_found') })),
  },
  'POST /api/v1/notifications/{id}/read': {
    access: 'owned',
    tries: (a) =>
      a.notificationIds.flatMap((id) =>
        a.bodies.readNotification.map((body) => ({
          path: `/api/v1/notifications/${id}/read`,
          body,
          bob: notFound('notification_not_found'),
        })),
      ),
  },
  'DELETE /api/v1/me/sessions/{id}': {
    access: 'owned',
    sessionOnly: true,
    tries: (a) =>
      a.sessionIds.map((id) => ({
        path: `/api/v1/me/sessions/${id}`,
        bob: notFound('session_not_found'),
      })),
  },
  'DELETE /api/v1/me/tokens/{id}': {
    access: 'owned',
    sessionOnly: true,
    tries: (a) =>
      a.tokenIds.map((id) => ({
        path: `/api/v1/me/tokens/${id}`,
        bob: notFound('token_not_found'),
      })),
  },

  // --- the caller's own account -----------------------------------------------------------------
  'GET /api/v1/me': {
    access: 'self',
    tries: () => [
      {
        path: '/api/v1/me',
        bob: { status: 200 },
        check: (ans, me) => (ans.json?.user?.id === me.id ? undefined : 'not the caller'),
      },
    ],
  },
  'PATCH /api/v1/me': {
    access: 'self',
    tries: (a) => [{ path: '/api/v1/me', body: a.bodies.patchMe, bob: { status: 200 }, phase: 1 }],
  },
  'DELETE /api/v1/me': {
    access: 'self',
    sessionOnly: true,
    // Alice's password does not delete Bob, nor Alice.
    tries: (a) => [
      {
        path: '/api/v1/me',
        body: { password: a.password },
        bob: { status: 403, code: 'invalid_password' },
      },
    ],
  },
  'POST /api/v1/me/password': {
    access: 'self',
    sessionOnly: true,
    tries: (a) => [
      {
        path: '/api/v1/me/password',
        body: { currentPassword: a.password, newPassword: 'taken-over-1' },
        bob: { status: 403, code: 'invalid_password' },
      },
    ],
  },
  'POST /api/v1/me/email': {
    access: 'self',
    sessionOnly: true,
    tries: (a) => [
      {
        path: '/api/v1/me/email',
        body: { password: a.password, email: 'alice.elsewhere@example.com' },
        bob: { status: 403, code: 'invalid_password' },
      },
    ],
  },
  'GET /api/v1/me/export': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/me/export',
        bob: { status: 200 },
        check: (ans, me) =>
          ans.json?.account?.id !== me.id
            ? 'not the caller’s account'
            : (disjoint('watches', ids(ans.json.watches), a.watchIds) ??
              disjoint('sessions', ids(ans.json.sessions), a.sessionIds) ??
              disjoint('tokens', ids(ans.json.apiTokens), a.tokenIds) ??
              disjoint('notifications', ids(ans.json.notifications), a.notificationIds)),
      },
    ],
  },
  'GET /api/v1/me/sessions': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/me/sessions',
        bob: { status: 200 },
        check: (ans) => disjoint('sessions', ids(ans.json?.sessions), a.sessionIds),
      },
    ],
  },
  'DELETE /api/v1/me/sessions': {
    access: 'self',
    sessionOnly: true,
    // Logs Bob out everywhere: last, and Alice's sessions must survive it.
    tries: () => [{ path: '/api/v1/me/sessions', bob: { status: 204 }, phase: 2 }],
  },
  'GET /api/v1/me/tokens': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/me/tokens',
        bob: { status: 200 },
        check: (ans) => disjoint('tokens', ids(ans.json?.tokens), a.tokenIds),
      },
    ],
  },
  'POST /api/v1/me/tokens': {
    access: 'self',
    sessionOnly: true,
    tries: (a) =>
      a.bodies.tokens.map((body) => ({
        path: '/api/v1/me/tokens',
        body,
        bob: { status: 201 },
        phase: 1,
      })),
  },
  'GET /api/v1/watches': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/watches',
        bob: { status: 200 },
        check: (ans) => disjoint('watches', ids(ans.json?.watches), a.watchIds),
      },
    ],
  },
  'POST /api/v1/watches': {
    access: 'self',
    why: 'a watch of the caller on a shared product',
    tries: (a) =>
      a.bodies.watches.map((body) => ({
        path: '/api/v1/watches',
        body,
        bob: { status: 201 },
        check: (ans) => disjoint('watches', [Number(ans.json?.watch?.id)], a.watchIds),
        phase: 1,
      })),
  },
  'GET /api/v1/watches/export.csv': {
    access: 'self',
    tries: () => [
      {
        path: '/api/v1/watches/export.csv',
        bob: { status: 200 },
        // Bob has no watch yet (phase 0): the header row and nothing else.
        check: (ans) => {
          const lines = ans.text.trim().split(/\r?\n/);
          return lines.length === 1 ? undefined : `${lines.length - 1} rows`;
        },
      },
    ],
  },
  'POST /api/v1/watches/import': {
    access: 'self',
    why: 'watches of the caller on shared products',
    tries: (a) => [
      {
        path: '/api/v1/watches/import',
        body: a.bodies.importWatches,
        bob: { status: 200 },
        check: (ans) =>
          disjoint('watches', ids(ans.json?.results, 'watchId'), a.watchIds) ??
          (ans.json?.summary?.created === 1 ? undefined : 'did not create the caller’s watch'),
        phase: 1,
      },
    ],
  },
  'GET /api/v1/notifications': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/notifications',
        bob: { status: 200 },
        check: (ans) =>
          disjoint('notifications', ids(ans.json?.notifications), a.notificationIds) ??
          (ans.json?.unread === 0 ? undefined : `unread ${String(ans.json?.unread)}`),
      },
    ],
  },
  'POST /api/v1/notifications/read-all': {
    access: 'self',
    tries: () => [
      {
        path: '/api/v1/notifications/read-all',
        bob: { status: 200 },
        check: (ans) => (ans.json?.marked === 0 ? undefined : `marked ${ans.json?.marked}`),
        phase: 1,
      },
    ],
  },
  'GET /api/v1/mailbox': {
    access: 'self',
    tries: () => [{ path: '/api/v1/mailbox', bob: { status: 200 } }],
  },
  'POST /api/v1/auth/verify-email/resend': {
    access: 'self',
    why: "emails the caller's own confirmation link",
    tries: () => [{ path: '/api/v1/auth/verify-email/resend', bob: { status: 202 }, phase: 1 }],
  },
  'GET /api/v1/me/channels': {
    access: 'self',
    tries: () => [
      {
        path: '/api/v1/me/channels',
        bob: { status: 200 },
        // Bob set up nothing yet (phase 0): his email and nothing of Alice's.
        check: (ans) => {
          const kinds = (ans.json?.channels ?? []).map((c: { kind: string }) => c.kind);
          return kinds.join() === 'email' ? undefined : `channels ${kinds.join()}`;
        },
      },
    ],
  },
  'PUT /api/v1/me/channels/{kind}': {
    access: 'self',
    why: "the kind names a channel of the caller's, not an object of anyone's",
    tries: (a) =>
      Object.entries(a.channelBodies).map(([kind, body]) => ({
        path: `/api/v1/me/channels/${kind}`,
        body,
        bob: { status: 200 },
        phase: 1,
      })),
  },
  'DELETE /api/v1/me/channels/{kind}': {
    access: 'self',
    tries: (a) =>
      [...Object.keys(a.channelBodies), 'sms']
        .filter((k) => k !== 'email')
        .map((kind) => ({
          path: `/api/v1/me/channels/${kind}`,
          bob: notFound('channel_not_set_up'),
        })),
  },
  'POST /api/v1/me/channels/{kind}/test': {
    access: 'self',
    tries: (a) => [
      ...[...Object.keys(a.channelBodies), 'sms', 'webpush']
        .filter((k) => k !== 'email')
        .map((kind) => ({
          path: `/api/v1/me/channels/${kind}/test`,
          bob: notFound('channel_not_set_up'),
        })),
      {
        path: '/api/v1/me/channels/email/test',
        bob: { status: 409, code: 'email_unverified' },
      },
    ],
  },
  'POST /api/v1/me/channels/sms/verification': {
    access: 'self',
    why: 'starts the verification of a number for the caller',
    tries: (a) => [
      {
        path: '/api/v1/me/channels/sms/verification',
        body: a.smsStart,
        bob: { status: 202 },
        phase: 1,
      },
    ],
  },
  'POST /api/v1/me/channels/sms/verification/confirm': {
    access: 'self',
    // Alice's code is no good for Bob, who has no code pending.
    tries: (a) => [
      {
        path: '/api/v1/me/channels/sms/verification/confirm',
        body: a.smsConfirm,
        bob: { status: 400, code: 'code_no_pending' },
      },
    ],
  },
  'GET /api/v1/me/push-subscriptions': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/me/push-subscriptions',
        bob: { status: 200 },
        check: (ans) => disjoint('subscriptions', ids(ans.json?.subscriptions), [a.pushId]),
      },
    ],
  },
  'POST /api/v1/me/push-subscriptions': {
    access: 'self',
    // The endpoint is the browser's identity: the same endpoint from another account is, by
    // design, that browser changing hands (store.ts). Bob subscribes a browser of his own.
    why: "subscribes the caller's own browser",
    tries: () => [
      {
        path: '/api/v1/me/push-subscriptions',
        body: browserSubscription(),
        bob: { status: 201 },
        phase: 1,
      },
    ],
  },
  'DELETE /api/v1/me/push-subscriptions': {
    access: 'self',
    tries: (a) => [
      {
        path: '/api/v1/me/push-subscriptions',
        body: { id: a.pushId },
        bob: notFound('subscription_not_found'),
      },
      {
        path: '/api/v1/me/push-subscriptions',
        body: { endpoint: a.pushEndpoint },
        bob: notFound('subscription_not_found'),
      },
    ],
  },
  'GET /api/v1/me/feed': {
    access: 'self',
    tries: () => [{ path: '/api/v1/me/feed', bob: { status: 200 } }],
  },
  'POST /api/v1/me/feed/rotate': {
    access: 'self',
    tries: () => [{ path: '/api/v1/me/feed/rotate', bob: { status: 200 }, phase: 1 }],
  },
};

/** The same string with its last character changed. */
function nearMiss(token: string): string {
  const last = token.at(-1) ?? 'a';
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

/** An unsubscribe token for `userId` in the right shape, signed with no key the server has. */
function forgedUnsubscribe(userId: number): string {
  return `u1.${userId}.${'A'.repeat(32)}`;
}

/** A PushSubscription.toJSON() as a browser makes it: a P-256 key and a 16-byte secret. */
function browserSubscription(
  endpoint = `https://push.example.com/s/${randomBytes(12).toString('hex')}`,
) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint,
    expirationTime: null,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

/** Products are shared: when the next scheduled check of one falls is anyone's to move. */
function withoutSharedSchedule(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSharedSchedule);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const isProduct = 'externalId' in value && 'nextCheckAt' in value;
    for (const [k, v] of Object.entries(value)) {
      if (isProduct && k === 'nextCheckAt') continue;
      out[k] = withoutSharedSchedule(v);
    }
    return out;
  }
  return value;
}

const statusOk = (want: Status, got: number) =>
  typeof want === 'number' ? want === got : want.includes(got);

describe('ownership on every route of the OpenAPI document', () => {
  let db: TestDatabase;
  let app: TestApp;
  let twilio: TwilioStandin;
  let api: ApiDocument;
  let userTables: string[];
  let aliceCaller: Caller;
  const alice = {} as Alice;

  const signUp = async (email: string, password: string, name: string) => {
    const c = new Caller(app.url);
    const res = await c.call('POST', '/api/v1/auth/signup', { email, password, name });
    expect(res.status, res.text).toBe(201);
    return { caller: c, id: Number(res.json.user.id) };
  };

  const ok = (res: Answer, status: number, what: string) => {
    expect(res.status, `${what}: ${res.text}`).toBe(status);
    return res.json;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    twilio = await startTwilioStandin({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    // No workers: nothing changes behind the test's back between "before" and "after".
    app = await startTestApp(
      db.url,
      {
        SIGNUP_LIMIT_PER_HOUR: '1000',
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: '+14155550100',
        TWILIO_BASE_URL: twilio.origin,
        FETCH_ALLOW_HOSTS: twilio.host,
      },
      ['web', 'demo-store'],
      { clock: () => new Date(NOW) },
    );
    api = await loadApiDocument(new ApiClient(app.url));
    userTables = (
      await db.pool.query<{ table_name: string }>(
        `select c.table_name from information_schema.columns c
           join information_schema.tables t using (table_schema, table_name)
          where c.table_schema = 'public' and c.column_name = 'user_id'
            and t.table_type = 'BASE TABLE'
          order by 1`,
      )
    ).rows.map((r) => r.table_name);

    // --- Alice and one of everything ----------------------------------------------------------
    Object.assign(alice, {
      email: 'alice.owner@example.com',
      name: 'Alice Ownerton',
      password: 'alice-owns-it-1',
    });
    const { caller: a, id } = await signUp(alice.email, alice.password, alice.name);
    alice.id = id;
    const laptop = new Caller(app.url);
    ok(
      await laptop.call('POST', '/api/v1/auth/login', {
        email: alice.email,
        password: alice.password,
      }),
      200,
      'second session',
    );
    aliceCaller = a;

    const demo = (await listDemoProducts(app.demoStoreUrl)).filter(
      (p) => p.price !== null && p.availability === 'in_stock',
    );
    const [first, second] = demo;
    if (!first || !second) throw new Error('the demo store has too few products in stock');
    alice.bodies = {
      addProduct: [{ url: first.url }],
      watches: [],
      importWatches: {
        urls: [second.url],
        rule: { type: 'below', price: '5.00' },
        priceType: 'buybox',
      },
      patchWatch: [{ paused: true }, { rule: { type: 'below', price: '2.50' } }],
      readNotification: [{ read: true }, { read: false }],
      patchMe: {
        timeZone: 'Europe/Berlin',
        locale: 'de-DE',
        currencyDisplay: 'code',
        notificationPrefs: {
          channels: { email: { enabled: true } },
          quietHours: { start: '22:00', end: '07:00' },
          digest: { enabled: true, hour: 7 },
        },
      },
      tokens: [
        { name: 'alice-dashboard', scope: 'read' },
        { name: 'alice-importer', scope: 'write' },
      ],
    };
    const product = ok(
      await a.call('POST', '/api/v1/products', alice.bodies.addProduct[0]),
      201,
      'product',
    ).product;
    alice.productIds = [Number(product.id)];
    alice.watchIds = [];
    for (const [rule, priceType] of [
      [{ type: 'below', price: '1.00' }, 'buybox'],
      [{ type: 'drop_percent', percent: 10 }, 'buybox'],
      [{ type: 'any_drop' }, 'new'],
      [{ type: 'back_in_stock' }, 'used'],
    ] as const) {
      const body = { productId: product.id, priceType, rule };
      alice.bodies.watches.push(body);
      alice.watchIds.push(ok(await a.call('POST', '/api/v1/watches', body), 201, 'watch').watch.id);
    }
    const imported = ok(
      await a.call('POST', '/api/v1/watches/import', alice.bodies.importWatches),
      200,
      'import',
    );
    expect(imported.summary.created).toBe(1);
    alice.watchIds.push(Number(imported.results[0].watchId));
    alice.productIds.push(Number(imported.results[0].productId));
    ok(
      await a.call('PATCH', `/api/v1/watches/${alice.watchIds[1]}`, alice.bodies.patchWatch[0]),
      200,
      'pause',
    );
    ok(
      await a.call('PATCH', `/api/v1/watches/${alice.watchIds[0]}`, alice.bodies.patchWatch[1]),
      200,
      'retarget',
    );

    // Alerts as the checker writes them, with a delivery that gave up (for the operators' route).
    const notes = await db.pool.query<{ id: number }>(
      `insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor, previous_minor, currency, created_at)
       values ($1, $2, $3, 'price_drop', 'buybox', 90, 120, 'USD', $5),
              ($1, $4, null, 'back_in_stock', 'used', null, null, null, $5)
       returning id`,
      [alice.id, alice.productIds[0], alice.watchIds[0], alice.productIds[1], NOW],
    );
    alice.notificationIds = notes.rows.map((r) => Number(r.id));
    ok(
      await a.call(
        'POST',
        `/api/v1/notifications/${alice.notificationIds[0]}/read`,
        alice.bodies.readNotification[0],
      ),
      200,
      'read',
    );
    alice.deadDeliveryId = Number(
      (
        await db.pool.query<{ id: number }>(
          `insert into deliveries (notification_id, channel, destination, state, attempts, last_error, created_at)
           values ($1, 'webhook', 'https://hooks.example.com/alice', 'dead', 8, 'gave up', $2) returning id`,
          [alice.notificationIds[0], NOW],
        )
      ).rows[0]?.id,
    );
    alice.deadMailId = Number(
      (
        await db.pool.query<{ id: number }>(
          `update mail_outbox set state = 'dead', attempts = 8, last_error = 'gave up'
            where id = (select min(id) from mail_outbox where user_id = $1) returning id`,
          [alice.id],
        )
      ).rows[0]?.id,
    );

    ok(await a.call('PATCH', '/api/v1/me', alice.bodies.patchMe), 200, 'profile and digest');
    // A change of address waiting for its link, and mail on this machine to both addresses.
    ok(
      await a.call('POST', '/api/v1/me/email', {
        password: alice.password,
        email: 'alice.next@example.com',
      }),
      202,
      'email change',
    );
    await db.pool.query(
      `insert into mailbox (message_id, to_address, subject, text_body)
       values ('<m1@test>', $1, 'For Alice', 'alice-only text'),
              ('<m2@test>', 'alice.next@example.com', 'For Alice, moving', 'alice-only text')`,
      [alice.email],
    );
    // A daily digest that gathered the second alert.
    await db.pool.query(
      `with d as (insert into digests (user_id, local_day, time_zone, created_at)
                  values ($1, $2::date, 'Europe/Berlin', $2) returning id)
       update notifications set digest_id = (select id from d) where id = $3`,
      [alice.id, NOW, alice.notificationIds[1]],
    );
    alice.tokenIds = [];
    alice.secrets = [alice.email, alice.name, 'alice.next@example.com', 'alice-only text'];
    for (const body of alice.bodies.tokens) {
      const t = ok(await a.call('POST', '/api/v1/me/tokens', body), 201, 'token');
      alice.tokenIds.push(Number(t.apiToken.id));
      alice.secrets.push(t.token);
    }

    alice.channelBodies = {
      webhook: { config: { url: 'https://hooks.example.com/alice' } },
      ntfy: { config: { url: 'ntfy://ntfy.example.com/alice-prices' } },
      telegram: { config: { url: `tgram://${BOT}/4242` } },
      email: { enabled: false },
    };
    for (const [kind, body] of Object.entries(alice.channelBodies)) {
      const r = ok(await a.call('PUT', `/api/v1/me/channels/${kind}`, body), 200, kind);
      if (r.reveal?.secret) alice.secrets.push(r.reveal.secret);
    }
    alice.smsStart = { phone: '+49 151 2345678' };
    ok(await a.call('POST', '/api/v1/me/channels/sms/verification', alice.smsStart), 202, 'sms');
    const code = /\b(\d{6})\b/.exec(twilio.messages.at(-1)?.body ?? '')?.[1] ?? '';
    alice.smsConfirm = { code };
    ok(
      await a.call('POST', '/api/v1/me/channels/sms/verification/confirm', alice.smsConfirm),
      200,
      'sms confirm',
    );

    const push = browserSubscription('https://push.example.com/s/alice-device-1');
    alice.pushEndpoint = push.endpoint;
    alice.pushId = Number(
      ok(await a.call('POST', '/api/v1/me/push-subscriptions', push), 201, 'push').subscription.id,
    );
    alice.secrets.push(push.endpoint, push.keys.auth);

    const feed = ok(await a.call('GET', '/api/v1/me/feed'), 200, 'feed');
    alice.feedToken = /\/feeds\/alerts\/([^/]+)\.xml$/.exec(feed.url)?.[1] ?? '';
    expect(alice.feedToken).not.toBe('');
    alice.secrets.push(alice.feedToken);

    alice.sessionIds = ids(
      ok(await a.call('GET', '/api/v1/me/sessions'), 200, 'sessions').sessions,
    );
    expect(alice.sessionIds).toHaveLength(2);
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await twilio?.close();
    await db?.drop();
  });

  /** Alice's own reads (every GET she can make of her things) and her rows, table by table. */
  async function snapshot() {
    const views: Record<string, string> = {};
    for (const op of api.operations) {
      if (op.method !== 'GET') continue;
      const rule = RULES[op.key];
      if (!rule) continue;
      const paths =
        rule.access === 'public'
          ? (rule.aliceViews?.(alice) ?? [])
          : rule.tries(alice).map((t) => t.path);
      for (const path of paths) {
        const r = await aliceCaller.call('GET', path);
        const body = r.json === undefined ? r.text : JSON.stringify(withoutSharedSchedule(r.json));
        views[path] = `${r.status} ${body}`;
      }
    }
    const rows: Record<string, unknown[]> = {};
    const q = async (name: string, sql: string, params: unknown[]) => {
      rows[name] = (await db.pool.query<{ r: unknown }>(sql, params)).rows.map((x) => x.r);
    };
    await q('users', 'select to_jsonb(u) as r from users u where id = $1', [alice.id]);
    for (const t of userTables) {
      await q(t, `select to_jsonb(x) as r from ${t} x where user_id = $1 order by 1`, [alice.id]);
    }
    await q(
      'deliveries',
      `select to_jsonb(d) as r from deliveries d
        where d.notification_id in (select id from notifications where user_id = $1)
           or d.digest_id in (select id from digests where user_id = $1) order by 1`,
      [alice.id],
    );
    await q(
      'mailbox',
      `select to_jsonb(m) as r from mailbox m
        where lower(to_address) in (lower($1), 'alice.next@example.com') order by 1`,
      [alice.email],
    );
    return { views, rows };
  }

  /** What a caller of this kind should get where Bob, logged in, gets `bob`. */
  function expected(
    mode: 'session' | 'read' | 'write' | 'anonymous',
    op: Operation,
    rule: Rule,
    bob: Outcome,
  ): Outcome {
    if (mode === 'anonymous') {
      return rule.access === 'public' ? bob : { status: 401, code: 'unauthenticated' };
    }
    // Tokens are read only under /api/; feeds and charts do not look at them.
    const underApi = op.path.startsWith('/api/');
    if (mode === 'read' && underApi && UNSAFE.has(op.method)) {
      return { status: 403, code: 'token_read_only' };
    }
    if (mode === 'write' && UNSAFE.has(op.method) && rule.access !== 'public' && rule.sessionOnly) {
      return { status: 403, code: 'session_required' };
    }
    return bob;
  }

  /** Runs every attempt of every operation as `caller`; returns what went wrong, one per line. */
  async function tryEverything(
    mode: 'session' | 'read' | 'write' | 'anonymous',
    caller: Caller,
    me: Me,
  ): Promise<{ problems: string[]; tried: Set<string> }> {
    const problems: string[] = [];
    const tried = new Set<string>();
    for (const phase of [0, 1, 2]) {
      for (const op of api.operations) {
        const rule = RULES[op.key];
        if (!rule) continue;
        const attempts =
          rule.access === 'public' ? (rule.probes?.(alice) ?? []) : rule.tries(alice);
        for (const t of attempts) {
          if ((t.phase ?? 0) !== phase) continue;
          tried.add(op.key);
          const want = expected(mode, op, rule, t.bob);
          const ans = await caller.call(op.method, t.path, t.body);
          const where = `${op.method} ${t.path}${t.body === undefined ? '' : ` ${JSON.stringify(t.body)}`}`;
          if (!statusOk(want.status, ans.status)) {
            problems.push(
              `${where}: ${ans.status} (wanted ${String(want.status)}) ${ans.text.slice(0, 300)}`,
            );
            continue;
          }
          if (ans.status >= 400 && op.path.startsWith('/api/') && ans.json !== undefined) {
            const code = ans.json?.error?.code;
            if (typeof code !== 'string' || !SNAKE.test(code)) {
              problems.push(`${where}: error without a stable code: ${ans.text.slice(0, 300)}`);
            } else if (want.code !== undefined && code !== want.code) {
              problems.push(`${where}: code ${code} (wanted ${want.code})`);
            }
          }
          const lower = ans.text.toLowerCase();
          const leaked = alice.secrets.filter((s) => lower.includes(s.toLowerCase()));
          if (leaked.length) problems.push(`${where}: the answer shows ${leaked.join(', ')}`);
          if (ans.status < 300) {
            const more = t.check?.(ans, me);
            if (more) problems.push(`${where}: ${more}`);
          }
        }
      }
    }
    return { problems, tried };
  }

  /** Runs everything as `caller` and checks that Alice's world reads the same afterwards. */
  async function expectNothingOfAlicesReachable(
    mode: 'session' | 'read' | 'write' | 'anonymous',
    caller: Caller,
    me: Me,
  ) {
    const before = await snapshot();
    const { problems, tried } = await tryEverything(mode, caller, me);
    const after = await snapshot();
    expect(problems, problems.join('\n')).toEqual([]);
    // Every operation that is not public was tried (a rule that yields no attempt is a gap).
    const untried = api.operations
      .filter((op) => RULES[op.key] && RULES[op.key]?.access !== 'public' && !tried.has(op.key))
      .map((op) => op.key);
    expect(untried).toEqual([]);
    expect(after.rows).toEqual(before.rows);
    expect(after.views).toEqual(before.views);
  }

  it('classifies every operation of the document, public ones with a reason', () => {
    const keys = api.operations.map((op) => op.key);
    const unclassified = keys.filter((k) => RULES[k] === undefined);
    expect(
      unclassified,
      `classify these operations in test/e2e/ownership.test.ts (owned, self, shared, operator or public with a reason): ${unclassified.join(', ')}`,
    ).toEqual([]);
    expect(Object.keys(RULES).filter((k) => !keys.includes(k))).toEqual([]);
    for (const op of api.operations) {
      const rule = RULES[op.key];
      if (rule?.access !== 'public') continue;
      expect(rule.why, op.key).toMatch(/\w{3,}/);
      // Nothing under /me is public, and a public route with parameters is probed with Alice's.
      expect(op.path.startsWith('/api/v1/me'), op.key).toBe(false);
      if (op.pathParams.length > 0) expect(rule.probes?.(alice).length, op.key).toBeGreaterThan(0);
    }
  });

  it('gives Alice one of everything an account can own, so that the comparison is not empty', async () => {
    const { rows, views } = await snapshot();
    const count = (t: string) => rows[t]?.length ?? 0;
    expect(count('users')).toBe(1);
    expect(count('sessions')).toBe(2);
    expect(count('api_tokens')).toBe(2);
    expect(count('watches')).toBe(5);
    expect(count('notifications')).toBe(2);
    expect(count('deliveries')).toBe(1);
    expect(count('user_channels')).toBe(4); // webhook, ntfy, telegram, sms
    expect(count('push_subscriptions')).toBe(1);
    expect(count('feed_tokens')).toBe(1);
    expect(count('digest_schedules')).toBe(1);
    expect(count('phone_verifications')).toBe(1);
    expect(count('email_tokens')).toBeGreaterThanOrEqual(1);
    expect(count('mail_outbox')).toBeGreaterThanOrEqual(2);
    expect(count('digests')).toBe(1);
    expect(count('mailbox')).toBe(2);
    expect(views['/api/v1/watches']).toMatch(/^200 /);
    expect(JSON.parse(views['/api/v1/watches']?.slice(4) ?? '{}').watches).toHaveLength(5);
  });

  it('refuses Bob, logged in, everything of Alice’s, and changes nothing of hers', async () => {
    const bob = await signUp('bob.session@example.com', 'bob-password-1', 'Bob Session');
    await expectNothingOfAlicesReachable('session', bob.caller, { id: bob.id });
  });

  it('refuses Bob with a read-only API token everything of Alice’s', async () => {
    const bob = await signUp('bob.reader@example.com', 'bob-password-2', 'Bob Reader');
    const t = await bob.caller.call('POST', '/api/v1/me/tokens', { name: 'bob-ro', scope: 'read' });
    expect(t.status).toBe(201);
    await expectNothingOfAlicesReachable('read', new Caller(app.url, t.json.token), { id: bob.id });
  });

  it('refuses Bob with a read-write API token everything of Alice’s', async () => {
    const bob = await signUp('bob.writer@example.com', 'bob-password-3', 'Bob Writer');
    const t = await bob.caller.call('POST', '/api/v1/me/tokens', {
      name: 'bob-rw',
      scope: 'write',
    });
    expect(t.status).toBe(201);
    await expectNothingOfAlicesReachable('write', new Caller(app.url, t.json.token), {
      id: bob.id,
    });
  });

  it('answers 401 on every route that is not public to a caller with no credentials', async () => {
    await expectNothingOfAlicesReachable('anonymous', new Caller(app.url), { id: 0 });
  });
});
