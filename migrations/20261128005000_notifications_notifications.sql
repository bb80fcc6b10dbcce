-- Owner: notifications. What each person sees in their notification center (in-app channel),
-- written by the notifications function's event handlers; people read, mark read and delete
-- their own rows through the API (RLS).

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete cascade,
  -- OFERTA_RECIBIDA, TRABAJO_COMPLETADO, … (the original's tipo_notificacion_enum, extended).
  tipo varchar(40) not null,
  -- The preference category it belongs to (cuenta is not configurable).
  categoria varchar(20) not null,
  titulo varchar(200) not null,
  mensaje varchar(2000) not null,
  -- Ids the client links to: oferta_id, trabajo_id, chat_id, resena_id, url …
  data jsonb not null default '{}'::jsonb,
  leida boolean not null default false,
  fecha_lectura timestamptz,
  -- The event that produced it: one notification per person per event, even if redelivered.
  event_id uuid,
  created_at timestamptz not null default now(),
  constraint notifications_tipo_format check (tipo ~ '^[A-Z][A-Z_]*$'),
  constraint notifications_categoria_known
    check (categoria in ('cuenta', 'ofertas', 'trabajos', 'pagos', 'mensajes', 'resenas')),
  constraint notifications_titulo_not_blank check (char_length(btrim(titulo)) > 0),
  constraint notifications_data_is_object check (jsonb_typeof(data) = 'object')
);
comment on table public.notifications is
  'Owner: notifications. In-app notifications per person; written by event handlers, read by their owner.';

create index notifications_usuario_created_idx on public.notifications (usuario_id, created_at desc, id desc);
create index notifications_usuario_unread_idx on public.notifications (usuario_id) where not leida;
create unique index notifications_event_usuario_key on public.notifications (event_id, usuario_id)
  where event_id is not null;

alter table public.notifications enable row level security;

create policy "Users can view their own notifications" on public.notifications
  for select to authenticated
  using (usuario_id = (select auth.uid()));

create policy "Users can mark their own notifications as read" on public.notifications
  for update to authenticated
  using (usuario_id = (select auth.uid()))
  with check (usuario_id = (select auth.uid()));

create policy "Users can delete their own notifications" on public.notifications
  for delete to authenticated
  using (usuario_id = (select auth.uid()));

revoke all on table public.notifications from anon, authenticated;
grant select, delete on table public.notifications to authenticated;
-- Only the read flag is self-service; content is written by the service.
grant update (leida, fecha_lectura) on table public.notifications to authenticated;
