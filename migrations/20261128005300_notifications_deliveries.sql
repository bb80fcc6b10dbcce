-- Owner: notifications. E-mails and pushes to send, written in the same transaction as the event
-- that causes them (so a redelivered event adds none) and sent after it commits; failures are
-- retried with backoff by the sweep. `pending → sending → sent | skipped (nothing to send to) |
-- failed → … | dead (gave up)`.

create table public.notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  channel varchar(10) not null,
  event_id uuid not null,
  notification_id uuid references public.notifications (id) on delete set null,
  -- e-mail: {to, subject, html, text}; push: {title, body, data, link}.
  payload jsonb not null,
  status varchar(10) not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notification_deliveries_channel_known check (channel in ('email', 'push')),
  constraint notification_deliveries_status_known
    check (status in ('pending', 'sending', 'sent', 'skipped', 'failed', 'dead')),
  constraint notification_deliveries_attempts_not_negative check (attempts >= 0),
  constraint notification_deliveries_sent_at_matches_status check ((status = 'sent') = (sent_at is not null))
);
comment on table public.notification_deliveries is
  'Owner: notifications. Outgoing e-mails and pushes with their delivery state (service only).';

create unique index notification_deliveries_once_key
  on public.notification_deliveries (event_id, usuario_id, channel);
create index notification_deliveries_due_idx on public.notification_deliveries (next_attempt_at)
  where status in ('pending', 'sending', 'failed');
create index notification_deliveries_usuario_idx on public.notification_deliveries (usuario_id);
create index notification_deliveries_notification_idx on public.notification_deliveries (notification_id);

alter table public.notification_deliveries enable row level security;
-- No policies: only the notifications function (service connection) reads and writes it.
revoke all on table public.notification_deliveries from anon, authenticated;
