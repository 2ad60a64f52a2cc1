/**
 * The alerts of digests, for the notifier to render: oldest first, at most `DIGEST_LIST_MAX` per
 * digest (a long digest lists the first ones and links to the inbox for the rest), with the count.
 */
import type { Queryable } from '../../db/pool.js';

/** The alerts listed in one digest message; the rest are counted and linked. */
export const DIGEST_LIST_MAX = 50;

/** One alert of a digest, in the columns the notifier's alert rows have. */
export interface DigestAlertRow {
  digest_id: number;
  /** How many alerts the digest holds. */
  total: number;
  notification_id: number;
  kind: 'price_drop' | 'back_in_stock';
  price_minor: number | null;
  previous_minor: number | null;
  currency: string | null;
  notification_created_at: Date;
  product_id: number;
  title: string | null;
  url: string;
  image_url: string | null;
  watch_id: number | null;
  price_type: 'buybox' | 'amazon' | 'new' | 'used' | null;
  rule_type: 'below' | 'drop_percent' | 'any_drop' | 'back_in_stock' | null;
  target_minor: number | null;
}

export async function loadDigestAlerts(
  db: Queryable,
  digestIds: readonly number[],
  max = DIGEST_LIST_MAX,
): Promise<Map<number, DigestAlertRow[]>> {
  const { rows } = await db.query<DigestAlertRow>(
    `select digest_id, total, notification_id, kind, price_minor, previous_minor, currency,
            notification_created_at, product_id, title, url, image_url, watch_id, price_type,
            rule_type, target_minor
       from (select n.digest_id, count(*) over (partition by n.digest_id) as total,
                    row_number() over (partition by n.digest_id order by n.created_at, n.id) as rn,
                    n.id as notification_id, n.kind, n.price_minor, n.previous_minor, n.currency,
                    n.created_at as notification_created_at, n.product_id, p.title, p.url,
                    p.image_url, w.id as watch_id, w.price_type, w.rule_type, w.target_minor
               from notifications n
               join products p on p.id = n.product_id
               left join watches w on w.id = n.watch_id
              where n.digest_id = any($1::bigint[])) x
      where rn <= $2
      order by digest_id, rn`,
    [[...new Set(digestIds)], max],
  );
  const out = new Map<number, DigestAlertRow[]>();
  for (const r of rows) {
    const list = out.get(r.digest_id) ?? [];
    list.push(r);
    out.set(r.digest_id, list);
  }
  return out;
}
