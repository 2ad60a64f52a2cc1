-- The daily digest (issue 7). A user with the digest on gets each alert in the inbox at once and
-- no delivery of its own (acquisition/apply.ts writes none): such a notification is "held". Once
-- a day, at the user's hour, the digest job gathers the held notifications into one digest and
-- writes one delivery per channel to the outbox, where the notifier sends it like any alert.

-- One row per user who has the digest on, or just turned it off and still has alerts held for it.
-- Written with the preference (accounts/users.ts updateProfile, same transaction) and claimed by
-- the digest job when due, FOR UPDATE SKIP LOCKED.
create table digest_schedules (
  user_id     bigint primary key references users (id) on delete cascade,
  -- false: the user turned the digest off; at due_at the held alerts are released to the
  -- ordinary outbox (after a grace for alerts in flight) and the row goes.
  enabled     boolean not null,
  -- The plan below was made for this hour and zone; a change of either makes a new plan.
  hour        smallint not null check (hour between 0 and 23),
  time_zone   text not null,
  -- The next digest: the local day it is for, and the instant that day's hour begins.
  due_day     date not null,
  due_at      timestamptz not null,
  -- The local day of the last digest run (with or without anything to send).
  last_day    date,
  -- Held notifications are searched from here (an hour before the digest was turned on, or
  -- before the last run): a bound for the index scan, with room for alerts still in flight.
  held_since  timestamptz not null,
  updated_at  timestamptz not null
);
create index digest_schedules_due_idx on digest_schedules (due_at);

-- One row per digest built. At most one per user and local day: the exactly-once key.
create table digests (
  id         bigint generated always as identity primary key,
  user_id    bigint not null references users (id) on delete cascade,
  local_day  date not null,
  time_zone  text not null,
  created_at timestamptz not null,
  constraint digests_user_day_key unique (user_id, local_day)
);

-- The digest a held notification went out in (set once, by the job that built it).
alter table notifications add column digest_id bigint;
alter table notifications add constraint notifications_digest_id_fkey
  foreign key (digest_id) references digests (id) on delete set null not valid;
alter table notifications validate constraint notifications_digest_id_fkey;
create index notifications_digest_idx on notifications (digest_id) where digest_id is not null;

-- A delivery now sends either one notification or one digest; each digest has at most one
-- delivery per channel, as each notification has.
alter table deliveries alter column notification_id drop not null;
alter table deliveries add column digest_id bigint;
alter table deliveries add constraint deliveries_digest_id_fkey
  foreign key (digest_id) references digests (id) on delete cascade not valid;
alter table deliveries validate constraint deliveries_digest_id_fkey;
alter table deliveries add constraint deliveries_one_source
  check ((notification_id is null) <> (digest_id is null)) not valid;
alter table deliveries validate constraint deliveries_one_source;
alter table deliveries add constraint deliveries_digest_id_channel_key unique (digest_id, channel);
