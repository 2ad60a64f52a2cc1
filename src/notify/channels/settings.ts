/**
 * Values created once, on the first start of any process, and kept: the VAPID key pair that web
 * push subscriptions are bound to, and the secret behind unsubscribe tokens and phone-code hashes.
 * Processes starting together all try to insert; `on conflict do nothing` lets one win, and each
 * then reads the winner back in a new statement, so they all agree.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { z } from 'zod';
import type { Queryable } from '../../db/pool.js';

export async function loadOrCreateSetting<T>(
  db: Queryable,
  key: string,
  schema: z.ZodType<T>,
  create: () => T,
): Promise<T> {
  await db.query(
    `insert into app_settings (key, value) values ($1, $2::jsonb) on conflict (key) do nothing`,
    [key, JSON.stringify(create())],
  );
  // A separate statement: its snapshot sees a row another process committed meanwhile.
  const { rows } = await db.query<{ value: unknown }>(
    `select value from app_settings where key = $1`,
    [key],
  );
  const parsed = schema.safeParse(rows[0]?.value);
  if (!parsed.success) {
    throw new Error(`app_settings "${key}" holds an unexpected value`, { cause: parsed.error });
  }
  return parsed.data;
}

export interface VapidKeys {
  /** base64url of the uncompressed P-256 point (65 bytes): the browser's applicationServerKey. */
  readonly publicKey: string;
  /** base64url of the 32-byte private scalar. SECRET. */
  readonly privateKey: string;
}

const VapidSchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{86,88}$/),
  privateKey: z.string().regex(/^[A-Za-z0-9_-]{42,44}$/),
});

/** The VAPID keys, generated on first use and kept: every push subscription is bound to them. */
export function loadOrCreateVapidKeys(db: Queryable): Promise<VapidKeys> {
  return loadOrCreateSetting(db, 'vapid_keys', VapidSchema, () => webpush.generateVAPIDKeys());
}

const SecretSchema = z.object({ key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/) });

/** 32 random bytes behind the channels' HMACs; derive a key per purpose with `channelKey`. */
export async function loadOrCreateChannelSecret(db: Queryable): Promise<Buffer> {
  const v = await loadOrCreateSetting(db, 'channel_secret', SecretSchema, () => ({
    key: randomBytes(32).toString('base64'),
  }));
  return Buffer.from(v.key, 'base64');
}

/** A separate key per purpose, so that one use can never stand in for another. */
export function channelKey(secret: Buffer, purpose: 'unsubscribe' | 'phone-code'): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `pricehawk:${purpose}`, 32));
}
