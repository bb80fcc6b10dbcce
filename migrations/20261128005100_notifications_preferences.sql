-- Owner: notifications. Which channels each person wants per category. No row means the
-- defaults, which are the original's (notification_preferences model): every e-mail and push on,
-- except push for chat messages; reviews (asked for by the frontend) default on.
-- Account e-mails (welcome, password reset, security notices) are not configurable.

create table public.notification_preferences (
  usuario_id uuid primary key references public.usuarios (id) on delete cascade,
  email_ofertas boolean not null default true,
  email_trabajos boolean not null default true,
  email_pagos boolean not null default true,
  email_mensajes boolean not null default true,
  email_resenas boolean not null default true,
  push_ofertas boolean not null default true,
  push_trabajos boolean not null default true,
  push_pagos boolean not null default true,
  push_mensajes boolean not null default false,
  push_resenas boolean not null default true,
  updated_at timestamptz not null default now()
);
comment on table public.notification_preferences is
  'Owner: notifications. Per person, e-mail and push on/off per category (ofertas, trabajos, pagos, mensajes, resenas).';

-- The primary key indexes usuario_id, the only column the policies use.

alter table public.notification_preferences enable row level security;

create policy "Users can view their own notification preferences" on public.notification_preferences
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Users can create their own notification preferences" on public.notification_preferences
  for insert to authenticated
  with check (usuario_id = (select auth.uid()));

create policy "Users can change their own notification preferences" on public.notification_preferences
  for update to authenticated
  using (usuario_id = (select auth.uid()))
  with check (usuario_id = (select auth.uid()));

revoke all on table public.notification_preferences from anon, authenticated;
grant select, insert, update on table public.notification_preferences to authenticated;
