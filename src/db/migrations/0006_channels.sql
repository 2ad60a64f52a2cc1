-- Notification channels beyond email (issue 7): per-user channel settings, web push
-- subscriptions, phone verification codes, and process-wide settings such as the VAPID keys.
--
-- SECRETS. These columns hold secrets and must never be logged, exported to other users, shown in
-- the admin dead-letter view, or copied into `deliveries.destination`:
--   user_channels.config        webhook signing secret (whsec_…), Telegram bot token, Discord and
--                               Slack webhook tokens, ntfy password or access token (all inside
--                               the jsonb; `describe()` of each channel is the safe summary)
--   push_subscriptions.endpoint a capability URL: whoever knows it (with p256dh/auth) can push
--   push_subscriptions.p256dh   the browser's public key and auth secret: with the endpoint they
--   push_subscriptions.auth     let anyone send this browser a readable push
--   phone_verifications.code_hash  HMAC of a 6-digit code (keyed: useless without the key below)
--   app_settings.value          for key 'vapid_keys' (the private key signs every push) and
--                               'channel_secret' (the key of unsubscribe tokens and code hashes)
-- A user's own export may include their user_channels and push_subscriptions rows: the secrets in
-- them are theirs.

-- One row per (user, kind of channel). Email stays in users.notification_prefs (0002); a row
-- with kind 'webpush' only pauses or resumes push (the devices are in push_subscriptions).
create table user_channels (
  id            bigint generated always as identity primary key,
  user_id       bigint not null references users (id) on delete cascade,
  kind          text not null
                check (kind in ('webhook', 'sms', 'telegram', 'discord', 'slack', 'ntfy', 'webpush')),
  -- What the channel's parseConfig() accepts; secrets inside (see above).
  config        jsonb not null default '{}',
  enabled       boolean not null default true,
  -- SMS: the number in config was confirmed by a code. Alerts go only to verified numbers.
  verified_at   timestamptz,
  -- The last permanent failure (a revoked token, a deleted webhook), shown to the user.
  last_error    text,
  last_error_at timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (user_id, kind)
);

-- Browsers that accepted push notifications (PushSubscription.toJSON()). An endpoint belongs to
-- one browser profile: when another account signs in there and subscribes, the row moves to it.
create table push_subscriptions (
  id           bigint generated always as identity primary key,
  user_id      bigint not null references users (id) on delete cascade,
  endpoint     text not null unique check (length(endpoint) <= 2048),
  p256dh       text not null check (length(p256dh) <= 200),
  auth         text not null check (length(auth) <= 100),
  user_agent   text,
  created_at   timestamptz not null default now(),
  last_used_at timestamptz
);
create index push_subscriptions_user_idx on push_subscriptions (user_id);

-- Codes sent by SMS to prove a phone number. Only the keyed hash of the code is stored; a row
-- allows a few attempts until it expires; rows also count toward the per-user and per-number
-- sending limits (SMS costs money and is a target of toll fraud).
create table phone_verifications (
  id           bigint generated always as identity primary key,
  user_id      bigint not null references users (id) on delete cascade,
  phone        text not null check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  code_hash    bytea not null,
  attempts     integer not null default 0,
  max_attempts integer not null default 5,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  consumed_at  timestamptz
);
create index phone_verifications_user_idx on phone_verifications (user_id, created_at desc);
create index phone_verifications_phone_idx on phone_verifications (phone, created_at desc);

-- Process-wide values created once on first start and kept (VAPID keys, the channel secret).
-- Inserted with `on conflict do nothing` and read back, so processes starting together agree.
create table app_settings (
  key        text primary key,
  value      jsonb not null,
  created_at timestamptz not null default now()
);

-- Where an alert for a user goes besides email, one row per delivery to insert into the outbox:
-- `channel` is the deliveries.channel value (unique per notification) and `destination` the id of
-- the row that holds the configuration (never a secret: deliveries are shown to operators).
create view channel_delivery_targets as
  select uc.user_id, uc.kind as channel, uc.id::text as destination
    from user_channels uc
   where uc.enabled
     and uc.kind <> 'webpush'
     and (uc.kind <> 'sms' or uc.verified_at is not null)
  union all
  select ps.user_id, 'webpush:' || ps.id as channel, ps.id::text as destination
    from push_subscriptions ps
   where not exists (select 1 from user_channels uc
                      where uc.user_id = ps.user_id and uc.kind = 'webpush' and not uc.enabled);
