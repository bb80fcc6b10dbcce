-- Owner: chat-offers. The marketplace transaction: a professional's priced offer (oferta) to a
-- client in a chat they share; accepted, it becomes a job (trabajo) that the client pays into
-- escrow (payments), the professional carries out, and the client approves (escrow released by
-- payments in the same transaction). Every change of a job is also a timeline row.
--
-- Both parties are usuarios.id (the professional's account, not the profile id), as the clients
-- expect. Written only by chat-offers service code (and payments through trabajo_marcar_pagado);
-- the API roles can only read their own rows.

create type public.oferta_estado as enum ('OFERTADO', 'ACEPTADO', 'RECHAZADO', 'EXPIRADO', 'RETIRADO');
create type public.trabajo_estado as enum
  ('PENDIENTE_PAGO', 'PAGADO', 'EN_PROCESO', 'COMPLETADO', 'APROBADO', 'CANCELADO');
create type public.escrow_estado as enum
  ('PENDIENTE_PAGO', 'PAGADO_EN_ESCROW', 'LIBERADO', 'CANCELADO_REEMBOLSADO');

create table public.ofertas (
  id uuid primary key default gen_random_uuid(),
  chat_id uuid not null references public.chats (id) on delete cascade,
  profesional_id uuid not null references public.usuarios (id) on delete cascade,
  cliente_id uuid not null references public.usuarios (id) on delete cascade,
  -- Set when the offer comes from hiring a published service ("Contratar Servicio").
  servicio_id uuid references public.servicios_instantaneos (id) on delete set null,
  descripcion text not null,
  precio_final numeric(12, 2) not null,
  estado public.oferta_estado not null default 'OFERTADO',
  fecha_expiracion timestamptz not null,
  fecha_respuesta timestamptz,
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint ofertas_descripcion_length check (char_length(descripcion) between 10 and 2000),
  constraint ofertas_precio_positive check (precio_final > 0),
  constraint ofertas_two_people check (cliente_id <> profesional_id),
  constraint ofertas_answered_has_date check ((estado = 'OFERTADO') = (fecha_respuesta is null))
);
comment on table public.ofertas is
  'Owner: chat-offers. Priced offers in a chat; OFERTADO until accepted, rejected, withdrawn or expired.';

create index ofertas_cliente_idx on public.ofertas (cliente_id, fecha_creacion desc);
create index ofertas_profesional_idx on public.ofertas (profesional_id, fecha_creacion desc);
create index ofertas_chat_idx on public.ofertas (chat_id, fecha_creacion desc);
-- What the expiry sweep scans.
create index ofertas_open_expiry_idx on public.ofertas (fecha_expiracion) where estado = 'OFERTADO';

alter table public.ofertas enable row level security;

create policy "Offers are viewable by their client and professional" on public.ofertas
  for select to authenticated
  using (cliente_id = (select auth.uid()) or profesional_id = (select auth.uid()));

create policy "Admins can view every offer" on public.ofertas
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.ofertas from anon, authenticated;
grant select on table public.ofertas to authenticated;

create table public.trabajos (
  id uuid primary key default gen_random_uuid(),
  -- Every job comes from an offer (accept, or hiring a published service through an offer).
  oferta_id uuid not null unique references public.ofertas (id) on delete restrict,
  chat_id uuid references public.chats (id) on delete set null,
  cliente_id uuid not null references public.usuarios (id) on delete cascade,
  profesional_id uuid not null references public.usuarios (id) on delete cascade,
  servicio_instant_id uuid references public.servicios_instantaneos (id) on delete set null,
  descripcion text not null,
  precio_final numeric(12, 2) not null,
  -- Set at release: the commission at the professional's rate then, and what they received.
  comision_plataforma numeric(12, 2),
  monto_liberado numeric(12, 2),
  estado public.trabajo_estado not null default 'PENDIENTE_PAGO',
  estado_escrow public.escrow_estado not null default 'PENDIENTE_PAGO',
  mercadopago_payment_id text unique,
  fecha_pago timestamptz,
  fecha_inicio timestamptz,
  fecha_fin timestamptz,
  fecha_aprobacion timestamptz,
  fecha_cancelacion timestamptz,
  motivo_cancelacion text,
  notas_profesional text,
  notas_cliente text,
  imagenes text[] not null default '{}',
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  constraint trabajos_precio_positive check (precio_final > 0),
  constraint trabajos_two_people check (cliente_id <> profesional_id),
  constraint trabajos_release_amounts check (
    (comision_plataforma is null or comision_plataforma >= 0)
    and (monto_liberado is null or monto_liberado >= 0)
  ),
  constraint trabajos_notes_length check (
    coalesce(char_length(notas_profesional), 0) <= 2000 and coalesce(char_length(notas_cliente), 0) <= 2000
  ),
  constraint trabajos_images_count check (cardinality(imagenes) <= 50),
  -- The two state columns move together (compatibility.md §4.3).
  constraint trabajos_states_agree check (
    case estado
      when 'PENDIENTE_PAGO' then estado_escrow = 'PENDIENTE_PAGO'
      when 'PAGADO' then estado_escrow = 'PAGADO_EN_ESCROW'
      when 'EN_PROCESO' then estado_escrow = 'PAGADO_EN_ESCROW'
      when 'COMPLETADO' then estado_escrow = 'PAGADO_EN_ESCROW'
      when 'APROBADO' then estado_escrow = 'LIBERADO'
      when 'CANCELADO' then estado_escrow in ('PENDIENTE_PAGO', 'CANCELADO_REEMBOLSADO')
    end
  )
);
comment on table public.trabajos is
  'Owner: chat-offers. Jobs: progress (estado) and escrow (estado_escrow) per compatibility.md §4.3.';

create index trabajos_cliente_idx on public.trabajos (cliente_id, fecha_creacion desc);
create index trabajos_profesional_idx on public.trabajos (profesional_id, fecha_creacion desc);
create index trabajos_estado_idx on public.trabajos (estado, fecha_actualizacion);
create index trabajos_created_idx on public.trabajos (fecha_creacion desc);

alter table public.trabajos enable row level security;

create policy "Jobs are viewable by their client and professional" on public.trabajos
  for select to authenticated
  using (cliente_id = (select auth.uid()) or profesional_id = (select auth.uid()));

create policy "Admins can view every job" on public.trabajos
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.trabajos from anon, authenticated;
grant select on table public.trabajos to authenticated;

-- The chats table announced these links; now the tables exist.
alter table public.chats
  add constraint chats_trabajo_fk foreign key (trabajo_id) references public.trabajos (id) on delete set null,
  add constraint chats_oferta_fk foreign key (oferta_id) references public.ofertas (id) on delete set null;

-- Every transition, comment, image and payment of a job, in order, with who did it (null = system).
create table public.trabajo_eventos (
  id uuid primary key default gen_random_uuid(),
  trabajo_id uuid not null references public.trabajos (id) on delete cascade,
  tipo text not null,
  descripcion text not null,
  estado_anterior public.trabajo_estado,
  estado_nuevo public.trabajo_estado,
  usuario_id uuid references public.usuarios (id) on delete set null,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default clock_timestamp(),
  constraint trabajo_eventos_tipo check (tipo in ('ESTADO_CAMBIO', 'COMENTARIO', 'IMAGEN', 'PAGO')),
  constraint trabajo_eventos_descripcion_length check (char_length(descripcion) between 1 and 2000)
);
comment on table public.trabajo_eventos is
  'Owner: chat-offers. A job''s timeline (GET /chat_ofertas/trabajos/{id}/timeline).';

create index trabajo_eventos_trabajo_idx on public.trabajo_eventos (trabajo_id, created_at);

alter table public.trabajo_eventos enable row level security;

create policy "Job timelines are viewable by the job's client and professional" on public.trabajo_eventos
  for select to authenticated
  using (exists (
    select 1 from public.trabajos t
    where t.id = trabajo_id
      and (t.cliente_id = (select auth.uid()) or t.profesional_id = (select auth.uid()))
  ));

create policy "Admins can view every job timeline" on public.trabajo_eventos
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.trabajo_eventos from anon, authenticated;
grant select on table public.trabajo_eventos to authenticated;

-- The jobs' SQL interface for payments (one owner writes each table): an approved payment moves a
-- PENDIENTE_PAGO job to PAGADO / PAGADO_EN_ESCROW, records it on the timeline and emits job.paid,
-- in the caller's transaction. Any other state means "already applied" (paid=false), never a
-- step back: replayed notifications must not resurrect a released or refunded job.
create function public.trabajo_marcar_pagado(p_trabajo uuid, p_payment_id text)
returns table (paid boolean, estado public.trabajo_estado, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.trabajos;
  v_event uuid;
begin
  select * into v_job from public.trabajos t where t.id = p_trabajo for update;
  if not found then
    raise exception 'Trabajo % no encontrado', p_trabajo using errcode = 'P0002';
  end if;
  if v_job.estado <> 'PENDIENTE_PAGO' then
    return query select false, v_job.estado, null::uuid;
    return;
  end if;
  update public.trabajos t
    set estado = 'PAGADO', estado_escrow = 'PAGADO_EN_ESCROW', mercadopago_payment_id = p_payment_id,
        fecha_pago = now(), fecha_actualizacion = now()
    where t.id = p_trabajo;
  insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, estado_anterior, estado_nuevo, metadata)
  values (p_trabajo, 'PAGO', 'Pago acreditado: el dinero queda retenido hasta la aprobación', 'PENDIENTE_PAGO',
    'PAGADO', jsonb_build_object('payment_id', p_payment_id));
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('job.paid', p_trabajo::text, 'chat-offers', jsonb_build_object(
    'trabajo_id', p_trabajo, 'oferta_id', v_job.oferta_id, 'chat_id', v_job.chat_id,
    'cliente_id', v_job.cliente_id, 'profesional_id', v_job.profesional_id,
    'precio_final', v_job.precio_final, 'payment_id', p_payment_id))
  returning id into v_event;
  return query select true, 'PAGADO'::public.trabajo_estado, v_event;
end;
$$;
comment on function public.trabajo_marcar_pagado(uuid, text) is
  'Owner: chat-offers. Payments'' way to mark a job paid (PENDIENTE_PAGO only; emits job.paid). Service role only.';
revoke execute on function public.trabajo_marcar_pagado(uuid, text) from public, anon, authenticated;
grant execute on function public.trabajo_marcar_pagado(uuid, text) to service_role;
