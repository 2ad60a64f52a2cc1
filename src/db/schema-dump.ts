/**
 * A deterministic text description of the database schema (tables, columns, constraints, indexes),
 * read from the catalogs. The embedded PostgreSQL ships no pg_dump; this is what the committed
 * src/db/schema.txt is compared against, so that a schema change is always a reviewed diff.
 */
import type { Queryable } from './pool.js';

export async function describeSchema(db: Queryable): Promise<string> {
  const tables = await db.query<{ name: string; partitioned: boolean; bound: string | null }>(
    `select c.relname as name, c.relkind = 'p' as partitioned,
            pg_get_expr(c.relpartbound, c.oid) as bound
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and c.relname not like 'price_points\\_2%'
      order by c.relname`,
  );
  const out: string[] = [];
  for (const t of tables.rows) {
    const cols = await db.query<{ line: string }>(
      `select format('  %s %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                case when a.attnotnull then ' not null' else '' end,
                coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')) as line
         from pg_attribute a
         left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [t.name],
    );
    const cons = await db.query<{ line: string }>(
      `select format('  constraint %s %s', conname, pg_get_constraintdef(oid)) as line
         from pg_constraint where conrelid = $1::regclass and contype <> 'n' order by conname`,
      [t.name],
    );
    const idx = await db.query<{ line: string }>(
      `select '  ' || indexdef as line from pg_indexes
        where schemaname = 'public' and tablename = $1 order by indexname`,
      [t.name],
    );
    const kind = t.partitioned ? 'partitioned table' : t.bound ? `partition ${t.bound}` : 'table';
    out.push(`${kind} ${t.name}`, ...cols.rows.map((r) => r.line), ...cons.rows.map((r) => r.line));
    out.push(...idx.rows.map((r) => r.line), '');
  }
  return out.join('\n');
}
