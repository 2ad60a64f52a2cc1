-- Accounts: profile and notification preferences, session devices, rate limits, account email.

alter table users
  add column display_currency text check (display_currency is null or display_currency ~ '^[A-Z]{3}$'),
  -- {"channels": {"email": {"enabled": true}}, "quietHours": {"start": "22:00", "end": "07:00"} | null}
  add column notification_prefs jsonb not null default '{"channels": {"email": {"enabled": true}}, "quietHours": null}';

-- What the sessions list shows ("Firefox on Linux"), read from the user agent at log-in.
alter table sessions
  add column device text;

-- Fixed-window counters for rate limits shared by every web process.
create table rate_limits (
  key          text not null,
  window_start timestamptz not null,
  hits         integer not null,
  primary key (key, window_start)
);

-- Account email (verification, password reset, notices): rendered when queued, sent by the
-- notifier with the same lease and retry rules as alerts.
create table mail_outbox (
  id              bigint generated always as identity primary key,
  user_id         bigint references users (id) on delete cascade,
  to_address      text not null,
  subject         text not null,
  text_body       text not null,
  html_body       text,
  message_id      text not null unique,
  state           text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'dead')),
  attempts        integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_owner     text,
  lease_until     timestamptz,
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz not null default now()
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where state in ('pending', 'sending');

-- Password-reset requests, recorded as they come and resolved by the notifier: the request costs
-- one insert whether or not the address has an account, so its answer and timing reveal nothing.
create table password_reset_requests (
  id           bigint generated always as identity primary key,
  email        text not null,
  requested_at timestamptz not null default now()
);
