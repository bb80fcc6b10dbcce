-- Owner: platform (shared/outbox-store.ts).

-- Why a failed row failed: QStash could not be reached (its batch request failed or timed out),
-- or QStash answered and refused this one message. After an outage the sweep makes the first kind
-- due at once as soon as QStash accepts messages again, instead of letting each row wait out a
-- backoff of up to RELAY_BACKOFF_MAX_MS; a refused row keeps its backoff (retrying it sooner
-- would only be refused again).
alter table public.outbox add column unreachable boolean not null default false;
comment on column public.outbox.unreachable is
  'The last failed publish could not reach QStash (true) or QStash refused the message (false).';
