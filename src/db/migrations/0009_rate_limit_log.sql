-- Rate limits become sliding windows (issue 5: "the 21st wrong password in a minute is answered
-- 429"). The fixed-window counters of 0002 let up to twice the limit through across a window
-- boundary: 20 attempts at 0:59 and 20 more at 1:01 were all accepted.
--
-- One row per limited key holds the instants of the attempts accepted within the key's window,
-- oldest first: at most `max` of them, so a row stays small. An attempt is accepted when fewer
-- than `max` remain after dropping those older than the window; a refused attempt is not kept,
-- so the wait it is told (Retry-After) is when the oldest kept attempt leaves the window.
drop table rate_limits;

create table rate_limit_hits (
  key      text primary key,
  recent   timestamptz[] not null,
  -- The last attempt, accepted or not: old rows are pruned by it (sweeper).
  last_at  timestamptz not null
);
create index rate_limit_hits_last_idx on rate_limit_hits (last_at);
