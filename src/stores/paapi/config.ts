/**
 * The environment variables that turn PA-API on, validated here and merged into config.ts by the
 * lead (config.ts stays the only reader of process.env). Unset, all of them: PA-API is off and
 * Amazon products are read from their pages as before.
 */
import { z } from 'zod';
import { PAAPI_LOCALES, paapiLocale } from './locales.js';

const TAG = /^[A-Za-z0-9][\w.-]{0,63}$/;

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A single tag, or `marketplace=tag` pairs; each marketplace must be a PA-API locale. */
const partnerTag = z.string().transform((v, ctx): string | Readonly<Record<string, string>> => {
  const text = v.trim();
  if (!text.includes('=')) {
    if (TAG.test(text)) return text;
    ctx.addIssue({ code: 'custom', message: 'expected an Associates tag such as shop-21' });
    return z.NEVER;
  }
  const out: Record<string, string> = {};
  for (const pair of splitList(text)) {
    const [rawId = '', tag = ''] = pair.split('=').map((s) => s.trim());
    const id = rawId.toLowerCase();
    if (!paapiLocale(id) || !TAG.test(tag) || id in out) {
      ctx.addIssue({
        code: 'custom',
        message: `expected marketplace=tag pairs such as amazon.de=shop-21,amazon.com=shop-20; "${pair}" is not one (or repeats a marketplace)`,
      });
      return z.NEVER;
    }
    out[id] = tag;
  }
  return out;
});

const marketplaceList = z.string().transform((v, ctx) => {
  const ids = [...new Set(splitList(v).map((s) => s.toLowerCase()))];
  const unknown = ids.filter((id) => !paapiLocale(id));
  if (ids.length === 0 || unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a comma-separated list of marketplaces PA-API serves (${PAAPI_LOCALES.map((l) => l.marketplaceId).join(', ')})${unknown.length ? `; not: ${unknown.join(', ')}` : ''}`,
    });
    return z.NEVER;
  }
  return ids;
});

/**
 * The fields, to spread into config.ts's schema so that its filter of known variables keeps them.
 * No defaults: every one is unset unless the operator has PA-API credentials.
 */
export const paapiEnvShape = {
  /** PA-API access key (Associates Central → Tools → Product Advertising API). */
  PAAPI_ACCESS_KEY: z
    .string()
    .trim()
    .regex(/^\w{16,128}$/, 'expected a PA-API access key such as AKIAIOSFODNN7EXAMPLE')
    .optional(),
  /** The secret key issued with PAAPI_ACCESS_KEY; only ever used to sign, never sent or logged. */
  PAAPI_SECRET_KEY: z
    .string()
    .trim()
    .regex(/^\S{16,256}$/, 'expected the 40-character secret key issued with the access key')
    .optional(),
  /**
   * The Associates tag sent as PartnerTag. A tag belongs to one marketplace's store, so with
   * several marketplaces give one per marketplace: `amazon.de=shop-21,amazon.com=shop-20`.
   */
  PAAPI_PARTNER_TAG: partnerTag.optional(),
  /**
   * Marketplaces read through PA-API instead of their pages, comma-separated (`amazon.de,amazon.fr`).
   * Default: the marketplaces named in PAAPI_PARTNER_TAG, or with a single tag every marketplace
   * PA-API serves (then any marketplace the tag is not valid in fails with InvalidPartnerTag).
   */
  PAAPI_MARKETPLACES: marketplaceList.optional(),
} as const;

export interface PaapiSettings {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly partnerTag: string | Readonly<Record<string, string>>;
  /** Marketplace ids ("amazon.de") to read through PA-API. */
  readonly marketplaces: readonly string[];
}

const REQUIRED = ['PAAPI_ACCESS_KEY', 'PAAPI_SECRET_KEY', 'PAAPI_PARTNER_TAG'] as const;

/**
 * The PA-API part of the environment → PaapiSettings, or null when PA-API is off. Issues name the
 * variable (path[0]) so config.ts can print its usual "NAME=value: what to do" line.
 */
export const PaapiConfig = z
  .object(paapiEnvShape)
  .superRefine((e, ctx) => {
    const set = REQUIRED.filter((k) => e[k] !== undefined);
    if (set.length > 0 && set.length < REQUIRED.length) {
      for (const k of REQUIRED.filter((k) => e[k] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [k],
          message: `PA-API needs ${REQUIRED.join(', ')} together; ${set.join(', ')} set, this one missing`,
        });
      }
    }
    if (set.length === 0 && e.PAAPI_MARKETPLACES !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAAPI_MARKETPLACES'],
        message: `has no effect without ${REQUIRED.join(', ')}`,
      });
    }
    const tags = e.PAAPI_PARTNER_TAG;
    if (tags !== undefined && typeof tags !== 'string' && e.PAAPI_MARKETPLACES) {
      const untagged = e.PAAPI_MARKETPLACES.filter((id) => !(id in tags));
      if (untagged.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['PAAPI_PARTNER_TAG'],
          message: `no tag for ${untagged.join(', ')} listed in PAAPI_MARKETPLACES`,
        });
      }
    }
  })
  .transform((e): PaapiSettings | null => {
    if (!e.PAAPI_ACCESS_KEY || !e.PAAPI_SECRET_KEY || !e.PAAPI_PARTNER_TAG) return null;
    const tags = e.PAAPI_PARTNER_TAG;
    return {
      accessKey: e.PAAPI_ACCESS_KEY,
      secretKey: e.PAAPI_SECRET_KEY,
      partnerTag: tags,
      marketplaces:
        e.PAAPI_MARKETPLACES ??
        (typeof tags === 'string'
          ? PAAPI_LOCALES.map((l) => l.marketplaceId)
          : PAAPI_LOCALES.map((l) => l.marketplaceId).filter((id) => id in tags)),
    };
  });
