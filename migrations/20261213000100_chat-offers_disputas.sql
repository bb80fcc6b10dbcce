-- Owner: chat-offers. Disputes over a paid job and the jobs' timers' bookkeeping.
--
-- A party of a PAGADO, EN_PROCESO or COMPLETADO job opens a dispute (disputa): ABIERTA freezes
-- the job's money (no approval, auto-approval or cancellation by the parties) until an admin
-- resolves it (RESUELTA) with a release to the professional (job APROBADO), a full refund to the
-- client (job CANCELADO / CANCELADO_REEMBOLSADO) or a partial refund (the refund requested from
-- payments, the rest released: job APROBADO / LIBERADO, the pending refund completing later). The
-- parties and the admins talk in disputa_mensajes. At most one open dispute per job.
--
-- The parties are copied from the job (usuarios.id) so that policies and lists need no join.
-- Written only by chat-offers service code; the API roles read their own rows.

create table public.disputas (
  id uuid primary key default gen_random_uuid(),
  trabajo_id uuid not null references public.trabajos (id) on delete cascade,
  cliente_id uuid not null references public.usuarios (id) on delete cascade,
  profesional_id uuid not null references public.usuarios (id) on delete cascade,
  abierta_por uuid not null references public.usuarios (id) on delete cascade,
  motivo text not null,
  descripcion text not null,
  -- Public URLs of the evidence images (Storage bucket trabajos, under disputas/<id>/).
  evidencia text[] not null default '{}',
  estado text not null default 'ABIERTA',
  resolucion text,
  monto_reembolso numeric(12, 2),
  nota_resolucion text,
  resuelta_por uuid references public.usuarios (id) on delete set null,
  fecha_creacion timestamptz not null default now(),
  fecha_actualizacion timestamptz not null default now(),
  fecha_resolucion timestamptz,
  constraint disputas_motivo check (motivo in (
    'TRABAJO_NO_REALIZADO', 'TRABAJO_INCOMPLETO', 'MALA_CALIDAD', 'DEMORA', 'COBRO_INDEBIDO', 'OTRO'
  )),
  constraint disputas_descripcion_length check (char_length(descripcion) between 10 and 2000),
  constraint disputas_evidencia_count check (cardinality(evidencia) <= 10),
  constraint disputas_estado check (estado in ('ABIERTA', 'RESUELTA')),
  constraint disputas_resolucion check (resolucion in ('LIBERAR', 'REEMBOLSO_TOTAL', 'REEMBOLSO_PARCIAL')),
  constraint disputas_opened_by_party check (abierta_por in (cliente_id, profesional_id)),
  constraint disputas_resolved_complete check (
    (estado = 'ABIERTA') = (resolucion is null and fecha_resolucion is null)
  ),
  constraint disputas_refund_amount check (
    case resolucion
      when 'REEMBOLSO_PARCIAL' then monto_reembolso > 0
      when 'REEMBOLSO_TOTAL' then monto_reembolso > 0
      else monto_reembolso is null
    end
  ),
  constraint disputas_nota_length check (coalesce(char_length(nota_resolucion), 0) <= 2000)
);
comment on table public.disputas is
  'Owner: chat-offers. Disputes over paid jobs: ABIERTA (freezes the job''s money) → RESUELTA by an admin.';

-- One open dispute per job; a resolved one does not stop a later dispute.
create unique index disputas_one_open_per_job on public.disputas (trabajo_id) where estado = 'ABIERTA';
create index disputas_trabajo_idx on public.disputas (trabajo_id, fecha_creacion desc);
create index disputas_cliente_idx on public.disputas (cliente_id, fecha_creacion desc);
create index disputas_profesional_idx on public.disputas (profesional_id, fecha_creacion desc);
create index disputas_estado_idx on public.disputas (estado, fecha_creacion desc);

alter table public.disputas enable row level security;

create policy "Disputes are viewable by the job's client and professional" on public.disputas
  for select to authenticated
  using (cliente_id = (select auth.uid()) or profesional_id = (select auth.uid()));

create policy "Admins can view every dispute" on public.disputas
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.disputas from anon, authenticated;
grant select on table public.disputas to authenticated;

create table public.disputa_mensajes (
  id uuid primary key default gen_random_uuid(),
  disputa_id uuid not null references public.disputas (id) on delete cascade,
  autor_id uuid references public.usuarios (id) on delete set null,
  texto text not null,
  created_at timestamptz not null default clock_timestamp(),
  constraint disputa_mensajes_texto_length check (char_length(texto) between 1 and 2000)
);
comment on table public.disputa_mensajes is
  'Owner: chat-offers. Messages of a dispute between its parties and the admins, oldest first.';

create index disputa_mensajes_disputa_idx on public.disputa_mensajes (disputa_id, created_at);

alter table public.disputa_mensajes enable row level security;

create policy "Dispute messages are viewable by the dispute's client and professional" on public.disputa_mensajes
  for select to authenticated
  using (exists (
    select 1 from public.disputas d
    where d.id = disputa_id
      and (d.cliente_id = (select auth.uid()) or d.profesional_id = (select auth.uid()))
  ));

create policy "Admins can view every dispute message" on public.disputa_mensajes
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.disputa_mensajes from anon, authenticated;
grant select on table public.disputa_mensajes to authenticated;

-- The timers' reminders already sent: one row per (job, kind), so a reminder goes out once even
-- when two sweeps run at the same moment (the insert that wins emits the event).
create table public.trabajo_recordatorios (
  trabajo_id uuid not null references public.trabajos (id) on delete cascade,
  tipo text not null,
  enviado_at timestamptz not null default now(),
  primary key (trabajo_id, tipo),
  constraint trabajo_recordatorios_tipo check (tipo in ('PAGO_PENDIENTE', 'APROBACION_PENDIENTE'))
);
comment on table public.trabajo_recordatorios is
  'Owner: chat-offers. Reminders the jobs'' timers sent (once per job and kind).';

alter table public.trabajo_recordatorios enable row level security;

create policy "Admins can view every job reminder" on public.trabajo_recordatorios
  for select to authenticated
  using ((select private.is_admin()));

revoke all on table public.trabajo_recordatorios from anon, authenticated;
grant select on table public.trabajo_recordatorios to authenticated;

-- What the timers scan: completed jobs by completion time, unpaid jobs by creation time.
create index trabajos_completado_fin_idx on public.trabajos (fecha_fin) where estado = 'COMPLETADO';
create index trabajos_pendiente_creacion_idx on public.trabajos (fecha_creacion) where estado = 'PENDIENTE_PAGO';
