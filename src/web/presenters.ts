/**
 * What the API says about our records. Money leaves as a decimal string with its currency; dates
 * as ISO strings.
 */
import { z } from 'zod';
import type { User } from '../accounts/index.js';
import type { ProductRecord, PricePoint } from '../catalog/products.js';
import { minorToDecimal } from '../money/index.js';
import {
  WATCH_STATUSES,
  currentReading,
  thresholdMinor,
  type WatchView,
} from '../watchlist/index.js';

export const MoneyJson = z
  .object({
    amount: z.string().meta({ example: '39.99' }),
    currency: z.string().meta({ example: 'EUR' }),
  })
  .meta({ id: 'Money', description: 'An exact decimal amount and its ISO 4217 currency' });

export function moneyJson(minor: number | null | undefined, currency: string | null) {
  if (minor === null || minor === undefined || !currency) return null;
  return { amount: minorToDecimal(minor, currency), currency };
}

export const ProductJson = z
  .object({
    id: z.number().int(),
    store: z.string(),
    marketplace: z.string(),
    externalId: z.string(),
    url: z.string(),
    title: z.string().nullable(),
    imageUrl: z.string().nullable(),
    currency: z.string().nullable(),
    price: MoneyJson.nullable(),
    prices: z.object({
      buybox: MoneyJson.nullable(),
      amazon: MoneyJson.nullable(),
      new: MoneyJson.nullable(),
      used: MoneyJson.nullable(),
    }),
    listPrice: MoneyJson.nullable(),
    availability: z.enum(['in_stock', 'out_of_stock', 'preorder', 'unknown']),
    state: z.enum(['active', 'stale', 'blocked', 'gone']),
    lastOutcome: z.string().nullable(),
    lastCheckedAt: z.string().nullable(),
    lastChangedAt: z.string().nullable(),
    nextCheckAt: z.string(),
    watching: z.boolean(),
  })
  .meta({ id: 'Product' });

export function productJson(p: ProductRecord, watching = false): z.infer<typeof ProductJson> {
  const c = p.currency;
  return {
    id: p.id,
    store: p.store,
    marketplace: p.marketplace,
    externalId: p.external_id,
    url: p.url,
    title: p.title,
    imageUrl: p.image_url,
    currency: c,
    price: moneyJson(p.price_buybox, c),
    prices: {
      buybox: moneyJson(p.price_buybox, c),
      amazon: moneyJson(p.price_amazon, c),
      new: moneyJson(p.price_new, c),
      used: moneyJson(p.price_used, c),
    },
    listPrice: moneyJson(p.list_price, c),
    availability: p.availability as z.infer<typeof ProductJson>['availability'],
    state: p.state as z.infer<typeof ProductJson>['state'],
    lastOutcome: p.last_outcome,
    lastCheckedAt: p.last_checked_at?.toISOString() ?? null,
    lastChangedAt: p.last_changed_at?.toISOString() ?? null,
    nextCheckAt: p.next_check_at.toISOString(),
    watching,
  };
}

export const PricePointJson = z
  .object({
    priceType: z.enum(['buybox', 'amazon', 'new', 'used']),
    at: z.string(),
    price: MoneyJson.nullable().meta({ description: 'null: not available at that time' }),
  })
  .meta({ id: 'PricePoint' });

export function pricePointJson(p: PricePoint): z.infer<typeof PricePointJson> {
  return { priceType: p.priceType, at: p.at.toISOString(), price: moneyJson(p.amount, p.currency) };
}

export const RuleJson = z.discriminatedUnion('type', [
  z.object({ type: z.literal('below'), price: MoneyJson }),
  z.object({
    type: z.literal('drop_percent'),
    percent: z.number().int(),
    baseline: MoneyJson.nullable(),
  }),
  z.object({ type: z.literal('any_drop') }),
  z.object({ type: z.literal('back_in_stock') }),
]);

export const WatchStatusJson = z.enum(WATCH_STATUSES).meta({
  id: 'WatchStatus',
  description:
    'armed: waiting for the rule to hold; fired: alerted, waiting for the price to leave the condition (or drop further); stale: the price has not been read for a while; blocked: the store refuses our reads or the product is gone; paused: by you',
});

export const WatchJson = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    priceType: z.enum(['buybox', 'amazon', 'new', 'used']),
    rule: RuleJson,
    status: WatchStatusJson,
    paused: z.boolean(),
    currentPrice: MoneyJson.nullable().meta({
      description: "the product's current price of this price type; null when not available",
    }),
    target: MoneyJson.nullable().meta({
      description:
        'the highest price at which the rule holds: the target of `below`, the baseline less the percent for `drop_percent`; null for `any_drop` and `back_in_stock`',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastNotifiedAt: z.string().nullable().meta({ description: 'the last alert of this watch' }),
    lastNotifiedPrice: MoneyJson.nullable().meta({ description: 'the price of that alert' }),
    product: ProductJson,
  })
  .meta({ id: 'Watch' });

export function watchJson({ watch: w, product, status }: WatchView): z.infer<typeof WatchJson> {
  const c = w.currency ?? product.currency;
  let rule: z.infer<typeof RuleJson>;
  switch (w.rule_type) {
    case 'below':
      rule = {
        type: 'below',
        price: moneyJson(w.target_minor, c) ?? { amount: '0', currency: c ?? '' },
      };
      break;
    case 'drop_percent':
      rule = {
        type: 'drop_percent',
        percent: w.drop_percent ?? 0,
        baseline: moneyJson(w.baseline_minor, c),
      };
      break;
    default:
      rule = { type: w.rule_type };
  }
  return {
    id: w.id,
    productId: w.product_id,
    priceType: w.price_type,
    rule,
    status,
    paused: w.paused,
    currentPrice: moneyJson(currentReading(product, w.price_type).priceMinor, product.currency),
    target: moneyJson(thresholdMinor(w), c),
    createdAt: w.created_at.toISOString(),
    updatedAt: w.updated_at.toISOString(),
    lastNotifiedAt: w.last_notified_at?.toISOString() ?? null,
    lastNotifiedPrice: moneyJson(w.last_notified_minor, c),
    product: productJson(product, true),
  };
}

export const NotificationPrefsJson = z
  .object({
    channels: z.object({ email: z.object({ enabled: z.boolean() }) }),
    quietHours: z
      .object({
        start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 22:00'),
        end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 07:00'),
      })
      .nullable(),
    digest: z
      .object({
        enabled: z.boolean(),
        hour: z.number().int().min(0).max(23).meta({ description: "0–23, the user's time zone" }),
      })
      .strict()
      .optional()
      .meta({
        description:
          'A daily digest instead of immediate alerts: alerts go to the inbox at once and, once a day at `hour`, in one message to each channel. Left out of a change: unchanged. Always present in answers.',
      }),
  })
  .meta({ id: 'NotificationPrefs' });

export const UserJson = z
  .object({
    id: z.number().int(),
    email: z.string(),
    emailVerified: z.boolean(),
    name: z.string(),
    timeZone: z.string(),
    locale: z.string(),
    currencyDisplay: z.enum(['symbol', 'narrowSymbol', 'code', 'name']),
    notificationPrefs: NotificationPrefsJson,
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export function userJson(u: User): z.infer<typeof UserJson> {
  return {
    id: u.id,
    email: u.email,
    emailVerified: u.emailVerifiedAt !== null,
    name: u.name,
    timeZone: u.timeZone,
    locale: u.locale,
    currencyDisplay: u.currencyDisplay,
    notificationPrefs: {
      ...u.notificationPrefs,
      digest: u.notificationPrefs.digest ?? { enabled: false, hour: 8 },
    },
    createdAt: u.createdAt.toISOString(),
  };
}

export const ErrorJson = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });
