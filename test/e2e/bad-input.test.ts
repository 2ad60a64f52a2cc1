/**
 * Bad input on every operation of the OpenAPI document (GET /api/openapi.json), as a logged-in
 * user whose browser sends the right Origin: malformed JSON, non-objects where an object goes,
 * every declared body property with wrong types and junk values, unknown and poisonous properties,
 * junk path and query parameters, bodies over the size limit, and random JSON from fast-check.
 *
 * Every answer is a 2xx (the input was valid after all) or a 4xx with `{error: {code, message}}`
 * and a snake_case code; never a 5xx. After every refused request the database holds exactly what
 * it held before: the row count of every table and every row of the user's own.
 */
import { createECDH, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/accounts/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { listDemoProducts } from '../helpers/demo.js';
import { ApiClient } from '../helpers/http.js';
import {
  fillPath,
  loadApiDocument,
  type ApiDocument,
  type Operation,
  type Parameter,
  type Schema,
} from '../helpers/openapi.js';

const SEED = 20_240_611;
const RUNS = 12;
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Answers that are pages for people rather than API answers, and so may refuse with HTML.
 */
const PAGES: Record<string, string> = {
  'GET /api/v1/unsubscribe/{token}':
    'the link in an alert email, opened in a browser: a bad link gets a page that says so',
};

/** One value of every JSON type, and numbers at and past the edges, as raw JSON text. */
const JUNK_ANY: readonly string[] = [
  '"x"',
  '0',
  '-1',
  '-0',
  '1.5',
  '1e309',
  '-1e309',
  '99999999999999999999',
  '-99999999999999999999',
  '9007199254740993',
  'true',
  'null',
  '{}',
  '[]',
  '["x"]',
  '{"a":{"b":[1]}}',
];

/** Strings that are the right type with junk in them: where a string (or anything) goes. */
const JUNK_STRINGS: readonly string[] = [
  '""',
  '"1e309"',
  '"-0"',
  '"0x10"',
  '"NaN"',
  '"Infinity"',
  '"-1.00"',
  '"1,000.00"',
  '"\\u0000"',
  '"a\\u0000b"',
  '"\\ud800"',
  JSON.stringify('𝕏﷽\u202e\u200b'),
  JSON.stringify('<script>alert(1)</script>'),
  JSON.stringify("' or 1=1 --"),
  JSON.stringify('x'.repeat(10_000)),
];

/** Path and query values: not numbers, too big, negative, empty, encoded junk (as sent). */
const JUNK_PARAMS: readonly string[] = [
  'abc',
  '-1',
  '0',
  '1.5',
  '99999999999999999999',
  '1e309',
  '0x10',
  'NaN',
  'null',
  '%20',
  '%00',
  '%FF',
  '%E0%A4%A',
  encodeURIComponent('𝕏﷽'),
  '..%2F..%2Fetc',
  'x'.repeat(300),
];

interface Carol {
  id: number;
  email: string;
  productId: number;
  productUrl: string;
  watchId: number;
  spareWatchId: number;
  notificationId: number;
  spareTokenId: number;
  spareSessionId: number;
  feedToken: string;
}

/** A PushSubscription.toJSON() as a browser makes it. */
function browserSubscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.com/s/${randomBytes(12).toString('hex')}`,
    expirationTime: null,
    keys: {
      p256dh: ecdh.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  };
}

/** Valid bodies to start from (their mutations are the point); wrong passwords where one acts. */
const EXAMPLES: Record<string, (c: Carol) => unknown> = {
  'POST /api/v1/auth/signup': () => ({
    email: 'dora.new@example.com',
    password: 'a-long-password',
    name: 'Dora',
    timeZone: 'Europe/Paris',
    locale: 'fr-FR',
  }),
  'POST /api/v1/auth/login': (c) => ({ email: c.email, password: 'not-carols-password' }),
  'POST /api/v1/auth/verify-email': () => ({ token: 'x'.repeat(32) }),
  'POST /api/v1/auth/password-reset': () => ({ email: 'nobody@example.com' }),
  'POST /api/v1/auth/password-reset/confirm': () => ({
    token: 'x'.repeat(32),
    password: 'a-long-password',
  }),
  'POST /api/v1/auth/confirm-email': () => ({ token: 'x'.repeat(32) }),
  'PATCH /api/v1/me': () => ({
    name: 'Carol',
    timeZone: 'Europe/Berlin',
    locale: 'de-DE',
    currencyDisplay: 'code',
    notificationPrefs: {
      channels: { email: { enabled: true } },
      quietHours: { start: '22:00', end: '07:00' },
      digest: { enabled: true, hour: 7 },
    },
  }),
  'DELETE /api/v1/me': () => ({ password: 'not-carols-password' }),
  'POST /api/v1/me/password': () => ({
    currentPassword: 'not-carols-password',
    newPassword: 'a-new-password',
  }),
  'POST /api/v1/me/email': () => ({
    password: 'not-carols-password',
    email: 'carol.next@example.com',
  }),
  'POST /api/v1/me/tokens': () => ({ name: 'script', scope: 'read' }),
  'POST /api/v1/products': (c) => ({ url: c.productUrl }),
  'POST /api/v1/watches': (c) => ({
    productId: c.productId,
    priceType: 'new',
    rule: { type: 'below', price: '9.99' },
  }),
  'POST /api/v1/watches/import': (c) => ({
    urls: [c.productUrl],
    rule: { type: 'drop_percent', percent: 10 },
    priceType: 'used',
    marketplace: 'demo.com',
  }),
  'PATCH /api/v1/watches/{id}': () => ({
    rule: { type: 'below', price: '5.00' },
    priceType: 'buybox',
    paused: false,
  }),
  'POST /api/v1/notifications/{id}/read': () => ({ read: true }),
  'PUT /api/v1/me/channels/{kind}': () => ({
    enabled: true,
    config: { url: 'https://hooks.example.com/carol', rotateSecret: false },
  }),
  'POST /api/v1/me/channels/sms/verification': () => ({ phone: '+49 151 2345678' }),
  'POST /api/v1/me/channels/sms/verification/confirm': () => ({ code: '123456' }),
  'POST /api/v1/me/push-subscriptions': () => browserSubscription(),
  'DELETE /api/v1/me/push-subscriptions': () => ({ id: 999_999 }),
  'POST /api/v1/unsubscribe/{token}': () => ({ 'List-Unsubscribe': 'One-Click' }),
};

/** Query values every request of an operation carries (store searches would leave the machine). */
const PINNED_QUERY: Record<string, Record<string, string>> = {
  'GET /api/v1/search': { sources: 'local' },
};

/** The string with lone surrogates replaced, as a browser encodes a URL. */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

describe('bad input on every operation of the OpenAPI document', () => {
  let db: TestDatabase;
  let app: TestApp;
  let api: ApiDocument;
  let stateSql: string;
  const carol = {} as Carol;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Limits high enough that refusals come from validation, not from the rate limiter.
    app = await startTestApp(
      db.url,
      { SIGNUP_LIMIT_PER_HOUR: '100000', LOGIN_LIMIT_PER_MINUTE: '100000' },
      ['web', 'demo-store'],
    );
    const client = new ApiClient(app.url);
    api = await loadApiDocument(client);

    carol.email = 'carol.fuzz@example.com';
    const signup = await client.post('/api/v1/auth/signup', {
      email: carol.email,
      password: 'carols-password',
      name: 'Carol',
    });
    expect(signup.status).toBe(201);
    carol.id = signup.body.user.id;
    const demo = (await listDemoProducts(app.demoStoreUrl)).find(
      (p) => p.price !== null && p.availability === 'in_stock',
    );
    if (!demo) throw new Error('no demo product in stock');
    carol.productUrl = demo.url;
    const product = await client.post('/api/v1/products', { url: demo.url });
    expect(product.status).toBe(201);
    carol.productId = product.body.product.id;
    const watch = async (rule: unknown) => {
      const r = await client.post('/api/v1/watches', { productId: carol.productId, rule });
      expect(r.status).toBe(201);
      return Number(r.body.watch.id);
    };
    carol.watchId = await watch({ type: 'below', price: '1.00' });
    carol.spareWatchId = await watch({ type: 'any_drop' });
    const n = await db.pool.query<{ id: number }>(
      `insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor, currency)
       values ($1, $2, $3, 'price_drop', 'buybox', 50, 'USD') returning id`,
      [carol.id, carol.productId, carol.watchId],
    );
    carol.notificationId = Number(n.rows[0]?.id);
    const token = await client.post('/api/v1/me/tokens', { name: 'spare', scope: 'read' });
    carol.spareTokenId = Number(token.body.apiToken.id);
    carol.spareSessionId = (await createSession(db.pool, carol.id, {}, new Date())).id;
    expect(
      (await client.put('/api/v1/me/channels/ntfy', { config: { url: 'ntfy://carol-topic' } }))
        .status,
    ).toBe(200);
    const feed = await client.get('/api/v1/me/feed');
    carol.feedToken = /\/feeds\/alerts\/([^/]+)\.xml$/.exec(feed.body.url)?.[1] ?? '';

    // One query for "what is in the database": every table's row count (sessions, which the
    // test itself opens as it goes, and the rate limiter's log, which counts refused attempts on
    // purpose, aside) and a digest of every row of Carol's.
    const tables = (
      await db.pool.query<{ table_name: string }>(
        `select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'
            and table_name not in ('sessions', 'rate_limit_hits') order by 1`,
      )
    ).rows.map((r) => r.table_name);
    const owned = (
      await db.pool.query<{ table_name: string }>(
        `select table_name from information_schema.columns
          where table_schema = 'public' and column_name = 'user_id' and table_name = any($1)
          order by 1`,
        [tables],
      )
    ).rows.map((r) => r.table_name);
    const digest = (from: string) =>
      `(select coalesce(md5(string_agg(to_jsonb(x)::text, ',' order by to_jsonb(x)::text)), '') from ${from})`;
    stateSql = `select json_build_object(${[
      ...tables.map((t) => `'rows:${t}', (select count(*) from ${t})`),
      `'carol:users', ${digest('users x where id = $1')}`,
      ...owned.map((t) => `'carol:${t}', ${digest(`${t} x where user_id = $1`)}`),
    ].join(', ')}) as s`;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  // A prepared statement: it runs after every request, and its plan is the same each time.
  const state = async (): Promise<Record<string, unknown>> =>
    (
      await db.pool.query<{ s: Record<string, unknown> }>({
        name: 'bad-input-state',
        text: stateSql,
        values: [carol.id],
      })
    ).rows[0]?.s ?? {};
  /** The state after the last request: what a refused request must leave as it is. */
  let last: Record<string, unknown> | undefined;
  let session: string | undefined;
  let changed = false;
  /** How many answers of each status the last test saw. */
  let seen: Record<number, number> = {};
  beforeEach(() => {
    seen = {};
  });

  interface Request {
    readonly path?: string;
    readonly query?: string;
    readonly body?: string;
    readonly contentType?: string;
  }

  interface Expect {
    /** The input is invalid: a 4xx, never a 2xx. */
    readonly refuse?: boolean;
    readonly status?: number;
    readonly code?: string;
  }

  /** Path parameters that name Carol's own things, so that a valid body gets to act. */
  function basePath(op: Operation): string {
    const values: Record<string, string | number> = {};
    for (const p of op.pathParams) {
      values[p.name] = baseParam(op, p);
    }
    return fillPath(op.path, values);
  }

  function baseParam(op: Operation, p: Parameter): string | number {
    const { path, method } = op;
    if (path.startsWith('/api/v1/watches/')) {
      return method === 'DELETE' ? carol.spareWatchId : carol.watchId;
    }
    if (path.startsWith('/api/v1/notifications/')) return carol.notificationId;
    if (path.startsWith('/api/v1/me/sessions/')) return carol.spareSessionId;
    if (path.startsWith('/api/v1/me/tokens/')) return carol.spareTokenId;
    if (path.startsWith('/feeds/alerts/')) return carol.feedToken;
    if (path.startsWith('/api/v1/unsubscribe/')) return `u1.${carol.id}.${'A'.repeat(32)}`;
    if (path.startsWith('/api/v1/me/channels/')) {
      // Set up and changed: webhook; removed: ntfy; tested: email (unconfirmed, so it sends
      // nothing anywhere).
      if (path.endsWith('/test')) return 'email';
      return method === 'DELETE' ? 'ntfy' : 'webhook';
    }
    if (/\/products\//.test(path) && p.name === 'id') return carol.productId;
    const s = p.schema;
    if (Array.isArray(s.enum)) return String(s.enum[0]);
    if (s.type === 'integer' || s.type === 'number') return 1;
    return 'x';
  }

  function baseQuery(op: Operation, skip?: string): URLSearchParams {
    const q = new URLSearchParams(PINNED_QUERY[op.key] ?? {});
    for (const p of op.queryParams) {
      if (p.required && p.name !== skip && !q.has(p.name)) q.set(p.name, 'phone');
    }
    if (skip) q.delete(skip);
    return q;
  }

  function example(op: Operation): Json | undefined {
    const given = EXAMPLES[op.key];
    if (given) return given(carol) as Json;
    return op.body ? sample(op.body) : undefined;
  }

  /** A body the schema allows, for routes added without an example above. */
  function sample(schema: Schema | undefined, depth = 0): Json {
    const s = api.resolve(schema) ?? {};
    if (depth > 6) return null;
    if (Array.isArray(s.enum)) return s.enum[0] as Json;
    if (Array.isArray(s.oneOf ?? s.anyOf)) return sample((s.oneOf ?? s.anyOf)[0], depth + 1);
    switch (s.type) {
      case 'object': {
        const out: Record<string, Json> = {};
        for (const name of (s.required ?? []) as string[]) {
          out[name] = sample(s.properties?.[name], depth + 1);
        }
        return out;
      }
      case 'array':
        return Array.from({ length: Number(s.minItems ?? 1) }, () => sample(s.items, depth + 1));
      case 'string':
        if (s.format === 'email') return 'someone@example.com';
        if (s.format === 'uri') return 'https://example.com/';
        return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
      case 'integer':
      case 'number':
        return Number(s.minimum ?? 0) + (s.exclusiveMinimum ? 1 : 0) || 1;
      case 'boolean':
        return true;
      default:
        return {};
    }
  }

  /** The schema of the value at `path` in a body shaped like `example`. */
  function schemaAt(schema: Schema | undefined, path: readonly (string | number)[], ex: Json) {
    let s = api.resolve(schema);
    let v: Json | undefined = ex;
    for (const key of path) {
      s = branch(s, v);
      if (!s) return undefined;
      if (typeof key === 'number') s = api.resolve(s.items as Schema | undefined);
      else s = api.resolve(s.properties?.[key] as Schema | undefined);
      v = v !== null && typeof v === 'object' ? (v as Record<string, Json>)[key] : undefined;
    }
    return branch(s, v);
  }

  /** For oneOf/anyOf: the branch the example value is in (by its discriminator or its keys). */
  function branch(s: Schema | undefined, v: Json | undefined): Schema | undefined {
    const options = (s?.oneOf ?? s?.anyOf) as Schema[] | undefined;
    if (!options) return s;
    const resolved = options.map((o) => api.resolve(o) ?? {});
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const keys = Object.keys(v);
    return resolved.find((o) => {
      const props = (o.properties ?? {}) as Record<string, Schema>;
      const tag = props.type?.enum as unknown[] | undefined;
      if (tag && 'type' in v) return tag.includes(v.type);
      return keys.every((k) => k in props);
    });
  }

  /** True when the documented schema rules `value` out however the server reads it. */
  function mustRefuse(schema: Schema | undefined, value: Json): boolean {
    const s = api.resolve(schema);
    if (!s) return false;
    if (value === null) return s.type !== undefined && s.nullable !== true;
    if (Array.isArray(s.enum) && !s.enum.includes(value)) return true;
    switch (s.type) {
      case 'string':
        return (
          typeof value !== 'string' ||
          (typeof s.maxLength === 'number' && value.length > s.maxLength)
        );
      case 'integer':
      case 'number': {
        if (typeof value !== 'number' || !Number.isFinite(value)) return true;
        if (s.type === 'integer' && !Number.isInteger(value)) return true;
        const min = typeof s.minimum === 'number' ? s.minimum : -Infinity;
        const max = typeof s.maximum === 'number' ? s.maximum : Infinity;
        return value < min || (s.exclusiveMinimum === true && value <= min) || value > max;
      }
      case 'boolean':
        return typeof value !== 'boolean';
      case 'object':
        return typeof value !== 'object' || Array.isArray(value);
      case 'array':
        return !Array.isArray(value);
      default:
        return false;
    }
  }

  /** The same check for a path or query value as sent (servers coerce numbers from text). */
  function mustRefuseParam(schema: Schema, sent: string): boolean {
    let text: string;
    try {
      text = decodeURIComponent(sent);
    } catch {
      return false; // not decodable: whatever the server makes of it, it must not be a 5xx
    }
    if (Array.isArray(schema.enum)) return !schema.enum.includes(text);
    if (schema.type === 'integer' || schema.type === 'number') {
      return mustRefuse(schema, Number(text));
    }
    if (schema.type === 'string' && typeof schema.maxLength === 'number') {
      return text.length > schema.maxLength;
    }
    return false;
  }

  /** Every path to a value inside `v` (objects and arrays), the root excluded. */
  function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
    if (v === null || typeof v !== 'object') return [];
    const entries: [string | number, Json][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : Object.entries(v);
    return entries.flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]);
  }

  /** `ex` as JSON text with the value at `path` replaced by the raw JSON `raw`. */
  function withRaw(ex: Json, path: readonly (string | number)[], raw: string): string {
    const MARK = '__raw_value_here__';
    const copy = structuredClone<Json>(ex);
    let parent = copy as Record<string | number, Json>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
    parent[path.at(-1) as string | number] = MARK;
    return JSON.stringify(copy).replace(`"${MARK}"`, () => raw);
  }

  /**
   * Sends one request as Carol and returns what is wrong with the answer, if anything.
   */
  async function attempt(op: Operation, what: string, req: Request, want: Expect = {}) {
    // Only a change can end a session (log-out, "log out everywhere"…): a fresh one after each.
    if (session === undefined || changed) {
      session = (await createSession(db.pool, carol.id, {}, new Date())).token;
    }
    changed = op.method !== 'GET';
    const before = last ?? (await state());
    const headers: Record<string, string> = {
      cookie: `ph_session=${session}`,
      origin: app.url,
    };
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const query = req.query ?? baseQuery(op).toString();
    const url = `${app.url}${req.path ?? basePath(op)}${query ? `?${query}` : ''}`;
    const res = await request(url, {
      method: op.method as 'GET',
      headers,
      body: req.body,
    });
    const text = await res.body.text();
    const type = String(res.headers['content-type'] ?? '');
    const problems: string[] = [];
    const say = (m: string) =>
      problems.push(`${op.key} ${what}: ${res.statusCode} ${m} ${text.slice(0, 240)}`);
    const status = res.statusCode;
    const path = req.path ?? basePath(op);
    // A GET outside /api/ that no route matches gets the web UI's page (its router then shows
    // "not found"): the answer to a feed or chart URL mangled past recognition.
    const uiPage =
      op.method === 'GET' &&
      !path.startsWith('/api/') &&
      status === 200 &&
      type.startsWith('text/html') &&
      text.includes('<div id="root">');
    seen[status] = (seen[status] ?? 0) + 1;
    if (status >= 500) say('a server error');
    else if (status < 200 || (status >= 300 && status < 400)) say('neither 2xx nor 4xx');
    else if (want.status !== undefined && status !== want.status) say(`wanted ${want.status}`);
    else if (want.refuse && status < 400 && !uiPage) say('accepted invalid input');
    if (status >= 400 && status < 500) {
      const page = PAGES[op.key] !== undefined && type.startsWith('text/html');
      if (!page) {
        let body: any;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        const code = body?.error?.code;
        if (code === 'unauthenticated') say('not logged in: the test lost its session');
        else if (!type.startsWith('application/json')) say(`answered ${type}, not JSON`);
        else if (typeof code !== 'string' || !SNAKE.test(code)) say('no snake_case error code');
        else if (typeof body.error.message !== 'string' || body.error.message === '') {
          say('no error message');
        } else if (want.code !== undefined && code !== want.code) say(`code ${code}`);
      }
    }
    const after = await state();
    last = after;
    if (status >= 400) {
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      if (changed.length) say(`refused, yet changed ${changed.join(', ')}`);
    }
    return problems;
  }

  const bodyOps = () => api.operations.filter((op) => BODY_METHODS.has(op.method));
  /** Operations that delete last, so that the others find their objects. */
  const ordered = (ops: readonly Operation[]) =>
    [...ops].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

  it('answers malformed and empty JSON with 400 invalid_json', async () => {
    const problems: string[] = [];
    for (const op of ordered(bodyOps())) {
      for (const body of ['{"a": ', '{"a": 1,}', "{'a': 1}", '[1, 2', '\u0000', '']) {
        const r = await attempt(
          op,
          `body ${JSON.stringify(body)}`,
          { body },
          {
            status: 400,
            code: 'invalid_json',
          },
        );
        problems.push(...r);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses an array, a string, a number, null or true where an object goes', async () => {
    const problems: string[] = [];
    for (const op of ordered(bodyOps())) {
      const object = api.resolve(op.body)?.type === 'object';
      for (const body of ['[]', '[{}]', '"x"', '42', 'null', 'true']) {
        problems.push(...(await attempt(op, `body ${body}`, { body }, { refuse: object })));
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses every declared body property of a wrong type, and never fails on junk values', async () => {
    const problems: string[] = [];
    let tried = 0;
    for (const op of ordered(bodyOps())) {
      const ex = example(op);
      if (ex === undefined || ex === null || typeof ex !== 'object' || Array.isArray(ex)) continue;
      // Declared properties the example leaves out are tried too, one at a time.
      const props = Object.keys((api.resolve(op.body)?.properties ?? {}) as object);
      const targets: { base: Json; path: (string | number)[] }[] = [
        ...paths(ex).map((path) => ({ base: ex, path })),
        ...props.filter((p) => !(p in ex)).map((p) => ({ base: { ...ex, [p]: null }, path: [p] })),
      ];
      for (const { base, path } of targets) {
        const schema = schemaAt(op.body, path, base);
        const stringy = schema?.type === undefined || schema.type === 'string';
        for (const raw of stringy ? [...JUNK_ANY, ...JUNK_STRINGS] : JUNK_ANY) {
          const value = JSON.parse(raw) as Json;
          tried++;
          problems.push(
            ...(await attempt(
              op,
              `${path.join('.')} = ${raw.slice(0, 40)}`,
              { body: withRaw(base, path, raw) },
              { refuse: mustRefuse(schema, value) },
            )),
          );
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
    expect(problems, problems.join('\n')).toEqual([]);
    // Valid junk ("1e309" as a name) gets through to the handlers, which must cope with it too.
    const accepted = Object.entries(seen).filter(([st]) => Number(st) < 300);
    expect(accepted.reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(50);
  });

  it('ignores or refuses unknown properties, and is not fooled by __proto__ or constructor', async () => {
    const problems: string[] = [];
    for (const op of ordered(bodyOps())) {
      const ex = example(op) ?? {};
      const inner =
        ex !== null && typeof ex === 'object' && !Array.isArray(ex)
          ? JSON.stringify(ex).slice(1, -1)
          : '';
      const strict = api.resolve(op.body)?.additionalProperties === false;
      const join = (extra: string) => `{${[inner, extra].filter(Boolean).join(',')}}`;
      const bodies: [string, Expect][] = [
        [join('"unexpected":1,"isAdmin":true,"userId":1'), { refuse: strict }],
        [join('"__proto__":{"polluted":true}'), {}],
        [join('"constructor":{"prototype":{"polluted":true}}'), {}],
        [join(`"deep":${'['.repeat(5000)}${']'.repeat(5000)}`), { refuse: strict }],
      ];
      for (const [body, want] of bodies) {
        problems.push(...(await attempt(op, `body ${body.slice(0, 60)}…`, { body }, want)));
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses path parameters that are not what they name: words, huge, negative, encoded junk', async () => {
    const problems: string[] = [];
    const withParams = api.operations.filter((op) => op.pathParams.length > 0);
    expect(withParams.length).toBeGreaterThan(10);
    for (const op of ordered(withParams)) {
      const ex = BODY_METHODS.has(op.method) ? example(op) : undefined;
      for (const p of op.pathParams) {
        for (const junk of JUNK_PARAMS) {
          const values: Record<string, string | number> = {};
          for (const q of op.pathParams) {
            values[q.name] = q.name === p.name ? junk : encodeURIComponent(baseParam(op, q));
          }
          problems.push(
            ...(await attempt(
              op,
              `{${p.name}} = ${junk.slice(0, 40)}`,
              {
                path: fillPath(op.path, values, true),
                body: ex === undefined ? undefined : JSON.stringify(ex),
              },
              { refuse: mustRefuseParam(p.schema, junk) },
            )),
          );
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('refuses query parameters of the wrong type, repeated or out of range', async () => {
    const problems: string[] = [];
    const withQuery = api.operations.filter((op) => op.queryParams.length > 0);
    expect(withQuery.length).toBeGreaterThan(5);
    for (const op of withQuery) {
      for (const p of op.queryParams) {
        const sends: [string, string, boolean][] = [
          ...JUNK_PARAMS.map((j): [string, string, boolean] => [
            j,
            `${encodeURIComponent(p.name)}=${j}`,
            mustRefuseParam(p.schema, j),
          ]),
          ['empty', `${p.name}=`, mustRefuseParam(p.schema, '')],
          // An array where one value goes.
          ['repeated', `${p.name}=1&${p.name}=2`, true],
          ['bracketed', `${p.name}[]=1&${p.name}[a]=2`, false],
          ['long', `${p.name}=${'9'.repeat(5000)}`, mustRefuseParam(p.schema, '9'.repeat(5000))],
        ];
        for (const [what, pair, refuse] of sends) {
          const rest = baseQuery(op, p.name).toString();
          problems.push(
            ...(await attempt(
              op,
              `?${p.name} ${what.slice(0, 40)}`,
              { query: [rest, pair].filter(Boolean).join('&') },
              { refuse },
            )),
          );
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('answers a body over the size limit with 413 body_too_large', async () => {
    const problems: string[] = [];
    const big = JSON.stringify({ name: 'x'.repeat(70 * 1024), url: 'y', password: 'z' });
    for (const op of ordered(bodyOps())) {
      problems.push(
        ...(await attempt(
          op,
          '70 kB body',
          { body: big },
          { status: 413, code: 'body_too_large' },
        )),
      );
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('never answers random JSON with a 5xx or a half-written change (fast-check)', async () => {
    const problems: string[] = [];
    const json = fc.jsonValue({ maxDepth: 3 });
    for (const op of ordered(api.operations)) {
      let arb: fc.Arbitrary<Request>;
      if (BODY_METHODS.has(op.method)) {
        const ex = example(op);
        const props = Object.keys((api.resolve(op.body)?.properties ?? {}) as object);
        const base = ex !== null && typeof ex === 'object' && !Array.isArray(ex) ? ex : {};
        // Anything at all, or the example with some of its declared properties set at random.
        const merged =
          props.length === 0
            ? json
            : fc
                .record(Object.fromEntries(props.map((p) => [p, json])), { requiredKeys: [] })
                .map((r) => ({ ...base, ...r }));
        arb = fc.oneof(json, merged).map((v) => ({ body: JSON.stringify(v) }));
      } else {
        const pinned = Object.keys(PINNED_QUERY[op.key] ?? {});
        const names = op.queryParams.map((p) => p.name).filter((n) => !pinned.includes(n));
        const key = names.length ? fc.oneof(fc.constantFrom(...names), fc.string()) : fc.string();
        arb = fc
          .dictionary(
            key.filter((k) => !pinned.includes(k)),
            fc.string({ unit: 'binary' }),
            {
              maxKeys: 4,
            },
          )
          .map((d) => {
            const q = baseQuery(op);
            for (const [k, v] of Object.entries(d)) q.set(wellFormed(k), wellFormed(v));
            return { query: q.toString() };
          });
      }
      try {
        await fc.assert(
          fc.asyncProperty(arb, async (req) => {
            const found = await attempt(op, `random ${JSON.stringify(req).slice(0, 80)}`, req);
            if (found.length) throw new Error(found.join('\n'));
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    expect(problems, problems.join('\n\n')).toEqual([]);
  });
});
