/**
 * The only file that reads process.env. Every setting is validated here once, at start, and the
 * result is frozen and passed down; a bad value stops the program with a message naming the
 * variable and what it accepts.
 */
import path from 'node:path';
import { z } from 'zod';
import { PaapiConfig, paapiEnvShape, type PaapiSettings } from './stores/paapi/config.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce.number().int().min(0).max(65535);

/** A duration such as "1h", "15m", "30s", "250ms" or a plain number of seconds. */
const duration = z.string().transform((v, ctx) => {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration like 1h, 15m, 30s or 250ms' });
    return z.NEVER;
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const ms = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1000;
  return n * ms;
});

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL (${protocols.join(' or ')})` },
  );

/**
 * Each variable with its default and what it means. README.md documents the same table; keep them
 * in step.
 */
const schema = z.object({
  /** HTTP port of the web process. */
  PORT: port.default(3000),
  /** Interface the web process listens on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded PostgreSQL keeps its data (and other local state such as keys). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** An external PostgreSQL 14+; when set, no embedded server is started. */
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  /**
   * Whether to believe X-Forwarded-For for the client's address: `false` (default, nothing in
   * front), `true` (any proxy: only behind one you control), a hop count, or trusted addresses
   * (`10.0.0.1,10.0.0.0/8`). Per-IP rate limits depend on it being right.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string[] =>
      v === 'true'
        ? true
        : v === 'false'
          ? false
          : /^\d+$/.test(v)
            ? Number(v)
            : v.split(',').map((s) => s.trim()),
    ),
  /** The address people reach the web UI at; used in links in emails. */
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  /** SMTP server for email, e.g. smtp://user:pass@mail.example.com:587; unset → local mailbox. */
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  /** SMTP connections kept open by each notifier process. */
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  /** Sender of every email. */
  MAIL_FROM: z.string().min(3).default('Pricehawk <alerts@pricehawk.localhost>'),
  /** Run the demo store (default: on with the embedded database, off with DATABASE_URL). */
  DEMO_STORE: bool.optional(),
  /** A demo store running elsewhere (`pricehawk demo-store`), for separate web/worker processes. */
  DEMO_STORE_URL: url(['http:', 'https:']).optional(),
  /** Port of the demo store; 0 picks a free one. */
  DEMO_STORE_PORT: port.default(3001),
  /** Speed of the demo store's clock: price moves per minute scale with it; 0 freezes prices. */
  DEMO_STORE_SPEED: z.coerce.number().min(0).max(10_000).default(1),
  /** `json` lines, `pretty` lines for people, or `auto`: pretty when stdout is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How often a watched product is checked. */
  CHECK_INTERVAL_WATCHED: duration.default(3_600_000),
  /** How often a product nobody watches is checked. */
  CHECK_INTERVAL_UNWATCHED: duration.default(86_400_000),
  /** How often demo store products are checked (its prices move on its own, faster, clock). */
  DEMO_CHECK_INTERVAL: duration.default(60_000),
  /** Products claimed per checker batch. */
  CHECK_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Checks running at once per checker process. */
  CHECK_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
  /** How long a claimed product or delivery stays leased before another worker may take it. */
  LEASE_DURATION: duration.default(120_000),
  /** Idle wait between polls when there is no due work. */
  POLL_INTERVAL: duration.default(1_000),
  /**
   * Extra hosts (host or host:port, comma-separated) the fetcher may reach besides the store
   * adapters' own, private and loopback addresses included: for stores on an intranet or stand-ins.
   */
  FETCH_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** HTTP(S) proxies for store requests, comma-separated (http://user:pass@host:port), used in turn. */
  FETCH_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(['http:', 'https:']))),
  /** Requests in flight to one store host (per proxy) at most. */
  FETCH_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  /** Requests started per second to one store host (per proxy) at most. */
  FETCH_HOST_RATE: z.coerce.number().min(0.01).max(10_000).default(2),
  /** First pause from a host after it answers with a captcha; doubles while they continue (max 30m). */
  FETCH_COOLDOWN: duration.default(60_000),
  /** First retry of a failed delivery after about this long, doubling per attempt. */
  DELIVERY_RETRY_BASE: duration.default(30_000),
  /** Attempts before a delivery is given up (dead-lettered). */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  /** Twilio account for SMS alerts; unset, SMS is not offered. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC\w{32}$/, 'expected an Account SID such as AC0123…')
    .optional(),
  /** Its auth token (or the secret of TWILIO_API_KEY_SID). */
  TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  /** An API key SID to authenticate with instead of the account SID (optional). */
  TWILIO_API_KEY_SID: z
    .string()
    .regex(/^SK\w{32}$/)
    .optional(),
  /** The number SMS come from (E.164), or … */
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +14155550100')
    .optional(),
  /** … a Messaging Service SID instead. */
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG\w{32}$/)
    .optional(),
  /** Base URL of a Twilio-compatible API. */
  TWILIO_BASE_URL: url(['http:', 'https:']).default('https://api.twilio.com'),
  /** Base URL of the Telegram Bot API (a local Bot API server, a stand-in). */
  TELEGRAM_API_URL: url(['http:', 'https:']).default('https://api.telegram.org'),
  /** The ntfy server a bare ntfy://topic URL means. */
  NTFY_DEFAULT_SERVER: url(['http:', 'https:']).default('https://ntfy.sh'),
  /** Contact sent to push services with VAPID (mailto: or https:); default from MAIL_FROM. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'expected mailto:… or https://…')
    .optional(),
  /** Accounts (by confirmed email, comma-separated) that may see and retry dead-lettered deliveries. */
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Sign-ups per IP address per hour, at most (generous: offices and campuses share one). */
  SIGNUP_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Log-in attempts per minute per address and per IP, at most. */
  LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Alerts per watch per day, at most. */
  ALERT_DAILY_CAP: z.coerce.number().int().min(1).max(100).default(3),
  /** A further drop of this many percent while a watch is still inside its condition fires again. */
  ALERT_FURTHER_DROP_PERCENT: z.coerce.number().int().min(1).max(100).default(5),
});

export type Env = z.input<typeof schema>;

/** Every variable read, for the README's table (a test checks that it lists them all). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(schema.shape),
  ...Object.keys(paapiEnvShape),
];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly publicUrl: string;
  /** PUBLIC_URL was given (else publicUrl is derived from the port, which may be picked at start). */
  readonly publicUrlSet: boolean;
  readonly trustProxy: boolean | number | readonly string[];
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly demoStore: {
    readonly enabled: boolean;
    readonly url: string | undefined;
    readonly port: number;
    readonly speed: number;
  };
  readonly logLevel: string;
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly checker: {
    readonly intervalWatchedMs: number;
    readonly intervalUnwatchedMs: number;
    readonly intervalDemoMs: number;
    readonly batchSize: number;
    readonly concurrency: number;
  };
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly fetch: {
    readonly allowHosts: readonly string[];
    readonly proxies: readonly string[];
    readonly hostConcurrency: number;
    readonly hostRatePerSecond: number;
    readonly coolDownMs: number;
  };
  readonly alerts: { readonly dailyCap: number; readonly furtherDropPercent: number };
  readonly delivery: { readonly retryBaseMs: number; readonly maxAttempts: number };
  readonly limits: { readonly signupPerHour: number; readonly loginPerMinute: number };
  readonly adminEmails: readonly string[];
  readonly smtpPoolSize: number;
  readonly channels: {
    readonly twilio:
      | {
          readonly accountSid: string;
          readonly authToken: string;
          readonly apiKeySid?: string | undefined;
          readonly from?: string | undefined;
          readonly messagingServiceSid?: string | undefined;
          readonly baseUrl: string;
        }
      | undefined;
    readonly telegramApiUrl: string;
    readonly ntfyDefaultServer: string;
    readonly vapidSubject: string;
  };
  /** Amazon Product Advertising API credentials; null when PA-API is off. Holds a secret: never log. */
  readonly paapi: PaapiSettings | null;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most shells' VAR= assignments.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) => (k in schema.shape || k in paapiEnvShape) && v !== undefined && v !== '',
    ),
  );
  const parsed = schema.safeParse(cleaned);
  const paapi = PaapiConfig.safeParse(cleaned);
  if (!parsed.success || !paapi.success) {
    const issues = [...(parsed.error?.issues ?? []), ...(paapi.error?.issues ?? [])];
    const lines = issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.TWILIO_ACCOUNT_SID && !e.TWILIO_FROM === !e.TWILIO_MESSAGING_SERVICE_SID) {
    throw new ConfigError(
      'invalid configuration:\n  TWILIO_FROM / TWILIO_MESSAGING_SERVICE_SID: set exactly one of them with TWILIO_ACCOUNT_SID',
    );
  }
  const cfg: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    publicUrlSet: e.PUBLIC_URL !== undefined,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    demoStore: {
      enabled: e.DEMO_STORE ?? e.DATABASE_URL === undefined,
      url: e.DEMO_STORE_URL?.replace(/\/$/, ''),
      port: e.DEMO_STORE_PORT,
      speed: e.DEMO_STORE_SPEED,
    },
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    checker: {
      intervalWatchedMs: e.CHECK_INTERVAL_WATCHED,
      intervalUnwatchedMs: e.CHECK_INTERVAL_UNWATCHED,
      intervalDemoMs: e.DEMO_CHECK_INTERVAL,
      batchSize: e.CHECK_BATCH_SIZE,
      concurrency: e.CHECK_CONCURRENCY,
    },
    leaseMs: e.LEASE_DURATION,
    pollMs: e.POLL_INTERVAL,
    fetch: {
      allowHosts: e.FETCH_ALLOW_HOSTS,
      proxies: e.FETCH_PROXIES,
      hostConcurrency: e.FETCH_HOST_CONCURRENCY,
      hostRatePerSecond: e.FETCH_HOST_RATE,
      coolDownMs: e.FETCH_COOLDOWN,
    },
    alerts: { dailyCap: e.ALERT_DAILY_CAP, furtherDropPercent: e.ALERT_FURTHER_DROP_PERCENT },
    delivery: { retryBaseMs: e.DELIVERY_RETRY_BASE, maxAttempts: e.DELIVERY_MAX_ATTEMPTS },
    limits: { signupPerHour: e.SIGNUP_LIMIT_PER_HOUR, loginPerMinute: e.LOGIN_LIMIT_PER_MINUTE },
    adminEmails: e.ADMIN_EMAILS,
    smtpPoolSize: e.SMTP_POOL_SIZE,
    channels: {
      twilio:
        e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
          ? {
              accountSid: e.TWILIO_ACCOUNT_SID,
              authToken: e.TWILIO_AUTH_TOKEN,
              apiKeySid: e.TWILIO_API_KEY_SID,
              from: e.TWILIO_FROM,
              messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
              baseUrl: e.TWILIO_BASE_URL.replace(/\/$/, ''),
            }
          : undefined,
      telegramApiUrl: e.TELEGRAM_API_URL.replace(/\/$/, ''),
      ntfyDefaultServer: e.NTFY_DEFAULT_SERVER.replace(/\/$/, ''),
      vapidSubject:
        e.VAPID_SUBJECT ?? `mailto:${/<([^>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM}`,
    },
    paapi: paapi.data,
  };
  return deepFreeze(cfg);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
