-- Owner: platform (written by every service through shared/events.ts, read by the relay).

create type public.outbox_status as enum ('pending', 'in_progress', 'published', 'failed');

-- Transactional outbox: a business change and the event announcing it commit together, so an
-- event is never lost nor announced for a change that rolled back. The relay publishes rows to
-- QStash and marks them; a sweep retries what is left.
create table public.outbox (
  id uuid primary key default gen_random_uuid(),
  type text not null,
  aggregate_id text not null,
  producer text not null,
  payload jsonb not null default '{}'::jsonb,
  status public.outbox_status not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  constraint outbox_type_is_past_tense_dotted check (type ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$'),
  constraint outbox_attempts_not_negative check (attempts >= 0),
  constraint outbox_published_at_matches_status check ((status = 'published') = (published_at is not null))
);
comment on table public.outbox is 'Owner: platform. Events waiting to be (or already) published to QStash.';

-- What the relay's sweep scans: rows not yet published, by when they are due (claim or retry).
create index outbox_due_idx on public.outbox (next_attempt_at) where status in ('pending', 'in_progress', 'failed');
create index outbox_aggregate_idx on public.outbox (aggregate_id, created_at);
-- Published rows are pruned after a week (shared/outbox-store.ts pruneEventTables).
create index outbox_published_at_idx on public.outbox (published_at) where status = 'published';

alter table public.outbox enable row level security;
-- No policies: only service connections (the relay, event writers) touch events.
revoke all on table public.outbox from anon, authenticated;

-- Idempotent consumption: a subscriber records each event id it handled, in the same
-- transaction as the handler's effects; a redelivery finds the row and does nothing.
create table public.inbox (
  consumer text not null,
  event_id uuid not null,
  event_type text not null,
  received_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
comment on table public.inbox is 'Owner: platform. Events each subscriber function has already handled.';

-- Records are pruned after 90 days, well past any redelivery.
create index inbox_received_at_idx on public.inbox (received_at);

alter table public.inbox enable row level security;
revoke all on table public.inbox from anon, authenticated;
