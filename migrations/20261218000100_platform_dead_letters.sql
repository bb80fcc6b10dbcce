-- Owner: platform (written by the dead-letter redrive of the relay sweep, shared/dead-letters.ts).

-- What the redrive did with each QStash dead letter addressed to our `/<fn>/events`: redriven
-- (retried through QStash), cleared (the subscriber's inbox already had the event) or kept in the
-- DLQ for a human (malformed: our receiver refused it with 489; capped: redriven too often already;
-- unrecognized: its body is not one of our events). The dead letter's id is the key, so two sweeps
-- never act on one dead letter twice and a kept one is logged once; the redriven rows of an
-- (event, subscriber) are its redrive count, which the cap reads.
create table public.dead_letters (
  dlq_id text primary key,
  consumer text not null,
  event_id uuid,
  response_status integer,
  outcome text not null,
  decided_at timestamptz not null default now(),
  constraint dead_letters_outcome_known
    check (outcome in ('redriven', 'cleared', 'malformed', 'capped', 'unrecognized'))
);
comment on table public.dead_letters is
  'Owner: platform. QStash dead letters of our events and what the redrive did with each.';

-- The cap's count: redrives of one event to one subscriber.
create index dead_letters_redrives_idx on public.dead_letters (consumer, event_id) where outcome = 'redriven';
-- Rows are pruned after 90 days, long past QStash's dead-letter retention.
create index dead_letters_decided_at_idx on public.dead_letters (decided_at);

alter table public.dead_letters enable row level security;
-- No policies: only the service connection of the sweep touches them.
revoke all on table public.dead_letters from anon, authenticated;

-- When the redrive last ran for one set of events URLs (`FUNCTIONS_PUBLIC_URL`): the sweep runs
-- every minute in every isolate, the redrive at most every RELAY_DEAD_LETTER_INTERVAL_MS.
create table public.dead_letter_runs (
  scope text primary key,
  last_run_at timestamptz not null
);
comment on table public.dead_letter_runs is
  'Owner: platform. When the dead-letter redrive last ran, per FUNCTIONS_PUBLIC_URL.';

alter table public.dead_letter_runs enable row level security;
revoke all on table public.dead_letter_runs from anon, authenticated;
