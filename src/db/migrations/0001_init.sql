-- Pricehawk schema, version 1. Money is always bigint minor units plus a currency code.

create table users (
  id                bigint generated always as identity primary key,
  email             text not null check (length(email) between 3 and 320),
  name              text not null check (length(name) between 1 and 200),
  password_hash     text not null,
  email_verified_at timestamptz,
  time_zone         text not null default 'UTC',
  locale            text not null default 'en-US',
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table sessions (
  id           bigint generated always as identity primary key,
  user_id      bigint not null references users (id) on delete cascade,
  token_hash   bytea not null unique,
  user_agent   text,
  ip           text,
  created_at   timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at   timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expiry_idx on sessions (expires_at);

create table api_tokens (
  id           bigint generated always as identity primary key,
  user_id      bigint not null references users (id) on delete cascade,
  name         text not null,
  token_hash   bytea not null unique,
  scope        text not null check (scope in ('read', 'write')),
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

create table email_tokens (
  id         bigint generated always as identity primary key,
  user_id    bigint not null references users (id) on delete cascade,
  purpose    text not null check (purpose in ('verify_email', 'password_reset', 'change_email')),
  token_hash bytea not null unique,
  email      text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at    timestamptz
);
create index email_tokens_user_idx on email_tokens (user_id);

-- A product is shared by everyone who watches it and fetched once per check.
create table products (
  id               bigint generated always as identity primary key,
  store            text not null,                 -- adapter: amazon, demo, structured
  marketplace      text not null,                 -- amazon.de, demo.de, a site's host
  external_id      text not null,                 -- ASIN, or the canonical URL
  url              text not null,                 -- canonical product URL
  title            text,
  image_url        text,
  currency         text check (currency ~ '^[A-Z]{3}$'),
  price_buybox     bigint,                        -- latest price per price type, minor units
  price_amazon     bigint,
  price_new        bigint,
  price_used       bigint,
  list_price       bigint,
  availability     text not null default 'unknown'
                   check (availability in ('in_stock', 'out_of_stock', 'preorder', 'unknown')),
  state            text not null default 'active' check (state in ('active', 'stale', 'blocked', 'gone')),
  last_outcome     text,
  last_checked_at  timestamptz,                   -- last fetch attempt
  last_success_at  timestamptz,                   -- last observation that could be read
  last_changed_at  timestamptz,                   -- last change of any price or availability
  next_check_at    timestamptz not null default now(),
  lease_owner      text,
  lease_until      timestamptz,
  failure_count    integer not null default 0,
  watcher_count    integer not null default 0,
  last_watched_at  timestamptz,
  manual_check_at  timestamptz,
  created_at       timestamptz not null default now(),
  unique (marketplace, external_id)
);
-- The checker's claim: due products in order.
create index products_due_idx on products (next_check_at) where state <> 'gone';

-- Price history: a row only when a price type's value changes; amount null = not available.
create table price_points (
  product_id  bigint not null,
  price_type  text not null check (price_type in ('buybox', 'amazon', 'new', 'used')),
  observed_at timestamptz not null,
  amount      bigint,
  currency    text not null,
  primary key (product_id, price_type, observed_at)
) partition by range (observed_at);
-- Anything outside the monthly partitions the sweeper creates ahead of time.
create table price_points_default partition of price_points default;

create table watches (
  id                  bigint generated always as identity primary key,
  user_id             bigint not null references users (id) on delete cascade,
  product_id          bigint not null references products (id),
  price_type          text not null default 'buybox'
                      check (price_type in ('buybox', 'amazon', 'new', 'used')),
  rule_type           text not null check (rule_type in ('below', 'drop_percent', 'any_drop', 'back_in_stock')),
  target_minor        bigint,                    -- below
  drop_percent        integer check (drop_percent between 1 and 99),
  baseline_minor      bigint,                    -- drop_percent: the price when the watch was set
  currency            text,
  armed               boolean not null default true,
  paused              boolean not null default false,
  last_seen_minor     bigint,                    -- any_drop: last fresh price seen by this watch
  last_notified_minor bigint,
  last_notified_at    timestamptz,
  alerts_day          date,
  alerts_today        integer not null default 0,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (user_id, product_id, price_type, rule_type)
);
create index watches_product_idx on watches (product_id);

create table notifications (
  id             bigint generated always as identity primary key,
  user_id        bigint not null references users (id) on delete cascade,
  product_id     bigint not null references products (id),
  watch_id       bigint references watches (id) on delete set null,
  kind           text not null check (kind in ('price_drop', 'back_in_stock')),
  price_type     text not null,
  price_minor    bigint,
  previous_minor bigint,
  currency       text,
  created_at     timestamptz not null default now(),
  read_at        timestamptz
);
create index notifications_user_idx on notifications (user_id, created_at desc);

-- The outbox: one row per (notification, channel); the notifier claims rows with a lease.
create table deliveries (
  id              bigint generated always as identity primary key,
  notification_id bigint not null references notifications (id) on delete cascade,
  channel         text not null,
  destination     text not null,
  state           text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'dead')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner     text,
  lease_until     timestamptz,
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz not null default now(),
  unique (notification_id, channel)
);
create index deliveries_due_idx on deliveries (next_attempt_at) where state in ('pending', 'sending');

-- Email that stays on this machine when no SMTP server is configured: the UI shows it.
create table mailbox (
  id          bigint generated always as identity primary key,
  message_id  text not null unique,
  to_address  text not null,
  subject     text not null,
  text_body   text not null,
  html_body   text,
  created_at  timestamptz not null default now()
);
create index mailbox_to_idx on mailbox (lower(to_address), created_at desc);
