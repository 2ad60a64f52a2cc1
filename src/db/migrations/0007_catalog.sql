-- Catalogue search, price-history reads, deals and feeds (issue 6).

create extension if not exists pg_trgm;
create extension if not exists unaccent;

-- Search text: accents folded, lower case ("Kopfhörer" → "kopfhorer"). unaccent() is only STABLE
-- (its dictionary could in principle change), so it cannot feed an index; naming the dictionary
-- and declaring the wrapper IMMUTABLE is the usual arrangement. lower() after unaccent() because
-- the embedded server runs in the C locale, where lower() only folds ASCII.
create function catalog_fold(text) returns text
  language sql immutable strict parallel safe
  return lower(public.unaccent('public.unaccent'::regdictionary, $1));

-- One row per product with a title: what the search reads. Kept apart from `products` so that the
-- checker's hourly updates of a product (price, lease, next check) never touch a GIN index; rows
-- change only when a title, marketplace or watcher count does (triggers below).
create table product_search (
  product_id  bigint primary key references products (id) on delete cascade,
  marketplace text not null,
  document    tsvector not null,
  watchers    integer not null default 0
);
create index product_search_document_idx on product_search using gin (document);
-- Popularity: the search's candidate order, and "popular products". The document is carried in
-- the index (INCLUDE) so that walking the most watched products and testing each title against
-- the query is an index-only scan: for a word in 1% of ten million titles, the 200 most watched
-- matches are found among ~20,000 index entries read in order, with no visit to the table.
create index product_search_popular_idx on product_search (watchers desc, product_id)
  include (document);
create index product_search_market_popular_idx on product_search (marketplace, watchers desc, product_id)
  include (document);

-- Every word of every title, for typo tolerance: a query word is matched against this small table
-- by trigram similarity ("hedphones" → "headphones"), and the corrected words are then looked up
-- in the tsvector index. Trigram-matching 10 million titles directly would read posting lists of
-- trigrams as common as "one" on every query. Only grows; a word no title uses any more costs a
-- row and can only ever suggest a correction that matches nothing.
create table search_words (
  word text primary key
);
create index search_words_trgm_idx on search_words using gin (word gin_trgm_ops);

create function catalog_document(title text) returns tsvector
  language sql immutable strict parallel safe
  return to_tsvector('simple', catalog_fold(title));

-- Words worth correcting towards: letters (after folding) of a sensible length; numbers and model
-- codes are matched exactly or by prefix, never "corrected".
create function catalog_words(document tsvector) returns setof text
  language sql immutable strict parallel safe
begin atomic
  select w from unnest(tsvector_to_array(document)) w where w ~ '^[a-z][a-z-]{2,39}$';
end;

-- Bulk loads (the seeder) set pricehawk.search_sync = 'off' for their transaction and rebuild the
-- rows set-wise at the end (catalog_search_rebuild).
create function product_search_inserted() returns trigger
  language plpgsql as $$
begin
  if current_setting('pricehawk.search_sync', true) = 'off' then
    return null;
  end if;
  insert into product_search (product_id, marketplace, document, watchers)
  select id, marketplace, catalog_document(title), watcher_count from inserted where title is not null
  on conflict (product_id) do update
    set marketplace = excluded.marketplace, document = excluded.document, watchers = excluded.watchers;
  insert into search_words (word)
  select distinct w from inserted, catalog_words(catalog_document(inserted.title)) w
   where inserted.title is not null
  on conflict do nothing;
  return null;
end $$;

create function product_search_updated() returns trigger
  language plpgsql as $$
begin
  if current_setting('pricehawk.search_sync', true) = 'off' then
    return null;
  end if;
  if new.title is null then
    delete from product_search where product_id = new.id;
  elsif old.title is not distinct from new.title and old.marketplace = new.marketplace then
    update product_search set watchers = new.watcher_count where product_id = new.id;
  else
    insert into product_search (product_id, marketplace, document, watchers)
    values (new.id, new.marketplace, catalog_document(new.title), new.watcher_count)
    on conflict (product_id) do update
      set marketplace = excluded.marketplace, document = excluded.document, watchers = excluded.watchers;
    insert into search_words (word)
    select w from catalog_words(catalog_document(new.title)) w
    on conflict do nothing;
  end if;
  return null;
end $$;

-- Inserts are caught once per statement (set-wise for bulk inserts); updates per row, and only
-- when one of the three columns really changed: the checker writes `title` on every check.
create trigger products_search_insert after insert on products
  referencing new table as inserted
  for each statement execute function product_search_inserted();
create trigger products_search_update after update of title, marketplace, watcher_count on products
  for each row
  when (old.title is distinct from new.title
        or old.marketplace is distinct from new.marketplace
        or old.watcher_count is distinct from new.watcher_count)
  execute function product_search_updated();

-- The search rows of every product with id > after_id, set-wise (after a bulk load).
create function catalog_search_rebuild(after_id bigint) returns void
  language sql as $$
  insert into product_search (product_id, marketplace, document, watchers)
  select id, marketplace, catalog_document(title), watcher_count
    from products where id > after_id and title is not null
  on conflict (product_id) do update
    set marketplace = excluded.marketplace, document = excluded.document, watchers = excluded.watchers;
  insert into search_words (word)
  select distinct w from product_search s, catalog_words(s.document) w where s.product_id > after_id
  on conflict do nothing;
$$;

select catalog_search_rebuild(0);

-- Each point carries the amount before it (null: none, or not available then), so that "the price
-- when the window opened" of every product changed in the last day is read from that day's points
-- alone, not looked up product by product. Filled by the trigger when the writer leaves it null
-- (one index probe per change); a writer that knows it (apply.ts has the old price at hand) may
-- pass it and skip the probe. Points written before this migration have none: they are never
-- counted as drops, which matters only for their first day.
alter table price_points add column previous_amount bigint;

create function price_points_previous() returns trigger
  language plpgsql as $$
begin
  select amount into new.previous_amount from price_points
   where product_id = new.product_id and price_type = new.price_type
     and observed_at < new.observed_at
   order by observed_at desc limit 1;
  return new;
end $$;

create trigger price_points_previous before insert on price_points
  for each row when (new.previous_amount is null) execute function price_points_previous();

-- Top drops read the last day of price changes across all products. Points are appended as they
-- are observed, so a partition's rows lie in time order and a BRIN index finds the last day in a
-- few block ranges, at almost no cost per insert (a btree here would take a random insert for
-- every price change).
create index price_points_observed_brin on price_points using brin (observed_at)
  with (autosummarize = on);

-- A secret per user for the alerts feed (/feeds/alerts/{token}.xml). Kept as the token itself,
-- not a hash: the settings page shows the feed URL again, and the token grants nothing but a read
-- of alerts that whoever can read this table can read already. Rotating replaces it.
create table feed_tokens (
  user_id    bigint primary key references users (id) on delete cascade,
  token      text not null unique,
  created_at timestamptz not null default now()
);
