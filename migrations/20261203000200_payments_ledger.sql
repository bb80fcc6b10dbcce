-- Owner: payments. Money: the MercadoPago preference of each job, every payment MercadoPago
-- reported, anomalies for an admin, refunds, and a double-entry ledger. The platform collects
-- with its own MercadoPago account and holds the escrow in this ledger (MercadoPago has no
-- escrow), so every peso is a movement between accounts:
--   mp_cobros    money at our MercadoPago account (asset)
--   escrow       held for a job until approval or refund (per trabajo_id)
--   profesional  what we owe a professional (per usuario_id), paid out by withdrawals
--   comisiones   the platform's commission (revenue)
-- Entries (asientos): COBRO mp_cobros→escrow; LIBERACION escrow→profesional+comisiones;
-- REEMBOLSO escrow→mp_cobros; RETIRO profesional→mp_cobros. Each entry balances (checked at
-- commit) and a job has at most one entry of each job kind, which makes hold, release and refund
-- exactly-once under any concurrency or retry.

create table public.pago_preferencias (
  trabajo_id uuid primary key references public.trabajos (id) on delete cascade,
  preference_id text not null unique,
  init_point text not null,
  monto numeric(12, 2) not null,
  expira_at timestamptz,
  created_at timestamptz not null default now(),
  constraint pago_preferencias_monto_positive check (monto > 0)
);
comment on table public.pago_preferencias is
  'Owner: payments. The MercadoPago Checkout Pro preference of a job (created once, reused).';

create table public.pagos (
  id uuid primary key default gen_random_uuid(),
  mp_payment_id text not null unique,
  trabajo_id uuid references public.trabajos (id) on delete set null,
  external_reference text,
  status text not null,
  status_detail text,
  monto numeric(12, 2) not null,
  moneda text not null default 'ARS',
  -- When this payment moved its job to PAGADO (null: not applied — rejected, anomaly, late).
  aplicado_at timestamptz,
  fecha_aprobacion timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pagos_monto_not_negative check (monto >= 0)
);
comment on table public.pagos is
  'Owner: payments. Every MercadoPago payment we learned of (webhook, reconciliation, simulation), last status.';

create index pagos_trabajo_idx on public.pagos (trabajo_id, created_at desc);
-- Exactly one applied payment per job.
create unique index pagos_one_applied_per_job on public.pagos (trabajo_id) where aplicado_at is not null;

create table public.pago_anomalias (
  id uuid primary key default gen_random_uuid(),
  tipo text not null,
  mp_payment_id text,
  trabajo_id uuid references public.trabajos (id) on delete set null,
  detalle jsonb not null default '{}'::jsonb,
  estado text not null default 'ABIERTA',
  created_at timestamptz not null default now(),
  resuelta_at timestamptz,
  constraint pago_anomalias_tipo check (tipo in (
    'MONTO_DISTINTO', 'REFERENCIA_DESCONOCIDA', 'PAGO_TARDIO', 'REEMBOLSO_EXTERNO', 'CONTRACARGO',
    'CONCILIACION'
  )),
  constraint pago_anomalias_estado check (estado in ('ABIERTA', 'RESUELTA'))
);
comment on table public.pago_anomalias is
  'Owner: payments. What webhooks and reconciliation found that must not be applied automatically.';

-- One anomaly per (kind, payment, status): a webhook repeated 20 times opens one case.
create unique index pago_anomalias_once on public.pago_anomalias (tipo, coalesce(mp_payment_id, ''), coalesce(trabajo_id::text, ''))
  where estado = 'ABIERTA';
create index pago_anomalias_open_idx on public.pago_anomalias (created_at desc) where estado = 'ABIERTA';

create table public.reembolsos (
  id uuid primary key default gen_random_uuid(),
  trabajo_id uuid not null unique references public.trabajos (id) on delete cascade,
  mp_payment_id text not null,
  monto numeric(12, 2) not null,
  motivo text not null,
  estado text not null default 'PENDIENTE',
  mp_refund_id text,
  intentos integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint reembolsos_monto_positive check (monto > 0),
  constraint reembolsos_estado check (estado in ('PENDIENTE', 'COMPLETADO', 'FALLIDO')),
  constraint reembolsos_completed_has_date check ((estado = 'COMPLETADO') = (completed_at is not null))
);
comment on table public.reembolsos is
  'Owner: payments. A job''s refund: requested by a cancellation or dispute, completed when MercadoPago confirms.';

create index reembolsos_pending_idx on public.reembolsos (created_at) where estado = 'PENDIENTE';

create table public.ledger_asientos (
  id uuid primary key default gen_random_uuid(),
  tipo text not null,
  trabajo_id uuid references public.trabajos (id) on delete restrict,
  -- The withdrawal a RETIRO pays (no foreign key here: withdrawals come in a later migration).
  retiro_id uuid,
  descripcion text not null,
  created_at timestamptz not null default now(),
  constraint ledger_asientos_tipo check (tipo in ('COBRO', 'LIBERACION', 'REEMBOLSO', 'RETIRO')),
  constraint ledger_asientos_reference check (
    (tipo = 'RETIRO' and retiro_id is not null) or (tipo <> 'RETIRO' and trabajo_id is not null)
  )
);
comment on table public.ledger_asientos is
  'Owner: payments. Ledger entries; each has balanced movements. At most one COBRO, LIBERACION, REEMBOLSO per job.';

create unique index ledger_asientos_once_per_job on public.ledger_asientos (tipo, trabajo_id) where tipo <> 'RETIRO';
create unique index ledger_asientos_once_per_retiro on public.ledger_asientos (retiro_id) where tipo = 'RETIRO';
create index ledger_asientos_created_idx on public.ledger_asientos (created_at desc);

create table public.ledger_movimientos (
  id uuid primary key default gen_random_uuid(),
  asiento_id uuid not null references public.ledger_asientos (id) on delete restrict,
  cuenta text not null,
  usuario_id uuid references public.usuarios (id) on delete restrict,
  trabajo_id uuid references public.trabajos (id) on delete restrict,
  debe numeric(12, 2) not null default 0,
  haber numeric(12, 2) not null default 0,
  created_at timestamptz not null default now(),
  constraint ledger_movimientos_cuenta check (cuenta in ('mp_cobros', 'escrow', 'profesional', 'comisiones')),
  constraint ledger_movimientos_one_side check (
    debe >= 0 and haber >= 0 and (debe > 0) <> (haber > 0)
  ),
  constraint ledger_movimientos_owner check (
    (cuenta = 'profesional') = (usuario_id is not null) and (cuenta <> 'escrow' or trabajo_id is not null)
  )
);
comment on table public.ledger_movimientos is
  'Owner: payments. Debits and credits of each ledger entry (debe = debit, haber = credit).';

create index ledger_movimientos_asiento_idx on public.ledger_movimientos (asiento_id);
create index ledger_movimientos_usuario_idx on public.ledger_movimientos (usuario_id, created_at desc)
  where usuario_id is not null;
create index ledger_movimientos_trabajo_idx on public.ledger_movimientos (trabajo_id) where trabajo_id is not null;

-- Every entry balances, checked once its transaction is done writing (all lines are in).
create function private.ledger_check_balanced()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_debe numeric;
  v_haber numeric;
begin
  select coalesce(sum(m.debe), 0), coalesce(sum(m.haber), 0) into v_debe, v_haber
    from public.ledger_movimientos m where m.asiento_id = new.asiento_id;
  if v_debe <> v_haber or v_debe = 0 then
    raise exception 'Asiento % desbalanceado: debe % haber %', new.asiento_id, v_debe, v_haber
      using errcode = '23514';
  end if;
  return null;
end;
$$;

create constraint trigger ledger_movimientos_balanced
  after insert or update on public.ledger_movimientos
  deferrable initially deferred
  for each row execute function private.ledger_check_balanced();

-- The ledger is append-only: corrections are new entries.
create function private.ledger_append_only()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'El libro contable no se modifica: se agregan asientos' using errcode = '42501';
end;
$$;
create trigger ledger_asientos_append_only before update or delete on public.ledger_asientos
  for each row execute function private.ledger_append_only();
create trigger ledger_movimientos_append_only before update or delete on public.ledger_movimientos
  for each row execute function private.ledger_append_only();

alter table public.pago_preferencias enable row level security;
alter table public.pagos enable row level security;
alter table public.pago_anomalias enable row level security;
alter table public.reembolsos enable row level security;
alter table public.ledger_asientos enable row level security;
alter table public.ledger_movimientos enable row level security;

create policy "Job parties can view their job's preference" on public.pago_preferencias
  for select to authenticated
  using (exists (select 1 from public.trabajos t where t.id = trabajo_id
    and (t.cliente_id = (select auth.uid()) or t.profesional_id = (select auth.uid()))));
create policy "Admins can view every preference" on public.pago_preferencias
  for select to authenticated using ((select private.is_admin()));

create policy "Job parties can view their job's payments" on public.pagos
  for select to authenticated
  using (exists (select 1 from public.trabajos t where t.id = trabajo_id
    and (t.cliente_id = (select auth.uid()) or t.profesional_id = (select auth.uid()))));
create policy "Admins can view every payment" on public.pagos
  for select to authenticated using ((select private.is_admin()));

create policy "Admins can view every anomaly" on public.pago_anomalias
  for select to authenticated using ((select private.is_admin()));

create policy "Job parties can view their job's refund" on public.reembolsos
  for select to authenticated
  using (exists (select 1 from public.trabajos t where t.id = trabajo_id
    and (t.cliente_id = (select auth.uid()) or t.profesional_id = (select auth.uid()))));
create policy "Admins can view every refund" on public.reembolsos
  for select to authenticated using ((select private.is_admin()));

create policy "Admins can view every ledger entry" on public.ledger_asientos
  for select to authenticated using ((select private.is_admin()));

create policy "Professionals can view their own balance movements" on public.ledger_movimientos
  for select to authenticated using (usuario_id = (select auth.uid()));
create policy "Admins can view every ledger movement" on public.ledger_movimientos
  for select to authenticated using ((select private.is_admin()));

revoke all on table public.pago_preferencias, public.pagos, public.pago_anomalias, public.reembolsos,
  public.ledger_asientos, public.ledger_movimientos from anon, authenticated;
grant select on table public.pago_preferencias, public.pagos, public.pago_anomalias, public.reembolsos,
  public.ledger_asientos, public.ledger_movimientos to authenticated;

-- What the escrow of a job holds now: collected minus released and refunded.
create function public.escrow_saldo(p_trabajo uuid)
returns numeric
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(sum(m.haber - m.debe), 0)::numeric(12, 2)
  from public.ledger_movimientos m
  where m.cuenta = 'escrow' and m.trabajo_id = p_trabajo;
$$;

-- An approved payment of a job's price: mp_cobros → escrow. Idempotent (false when already held).
create function public.escrow_retener(p_trabajo uuid, p_monto numeric, p_payment_id text)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_asiento uuid;
begin
  insert into public.ledger_asientos (tipo, trabajo_id, descripcion)
  values ('COBRO', p_trabajo, 'Cobro por MercadoPago ' || p_payment_id)
  on conflict do nothing
  returning id into v_asiento;
  if v_asiento is null then
    return false;
  end if;
  insert into public.ledger_movimientos (asiento_id, cuenta, trabajo_id, debe, haber) values
    (v_asiento, 'mp_cobros', p_trabajo, p_monto, 0),
    (v_asiento, 'escrow', p_trabajo, 0, p_monto);
  return true;
end;
$$;

-- Approval (or a dispute resolved for the professional): the escrow — or p_monto of it — goes to
-- the professional minus the commission at their rate now, the commission to the platform.
-- Called by the jobs' transition in its transaction; emits escrow.released. A second call for the
-- same job raises PT400 (the transition's own state check makes that unreachable in practice).
create function public.escrow_liberar(p_trabajo uuid, p_monto numeric default null)
returns table (monto_liberado numeric, comision numeric, tasa numeric, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.trabajos;
  v_monto numeric(12, 2);
  v_tasa numeric;
  v_comision numeric(12, 2);
  v_asiento uuid;
  v_event uuid;
begin
  select * into v_job from public.trabajos t where t.id = p_trabajo;
  if not found then
    raise exception 'Trabajo % no encontrado', p_trabajo using errcode = 'P0002';
  end if;
  v_monto := coalesce(p_monto, public.escrow_saldo(p_trabajo));
  if v_monto <= 0 or v_monto > public.escrow_saldo(p_trabajo) then
    raise exception 'No hay fondos retenidos para liberar en el trabajo %', p_trabajo using errcode = 'PT400';
  end if;
  select p.tasa_comision_actual into v_tasa from public.profesionales p where p.usuario_id = v_job.profesional_id;
  v_tasa := coalesce(v_tasa, 0.20);
  v_comision := round(v_monto * v_tasa, 2);
  insert into public.ledger_asientos (tipo, trabajo_id, descripcion)
  values ('LIBERACION', p_trabajo, 'Liberación del trabajo ' || p_trabajo)
  on conflict do nothing
  returning id into v_asiento;
  if v_asiento is null then
    raise exception 'Los fondos del trabajo % ya fueron liberados', p_trabajo using errcode = 'PT400';
  end if;
  insert into public.ledger_movimientos (asiento_id, cuenta, usuario_id, trabajo_id, debe, haber) values
    (v_asiento, 'escrow', null, p_trabajo, v_monto, 0),
    (v_asiento, 'profesional', v_job.profesional_id, p_trabajo, 0, v_monto - v_comision);
  if v_comision > 0 then
    insert into public.ledger_movimientos (asiento_id, cuenta, trabajo_id, debe, haber)
    values (v_asiento, 'comisiones', p_trabajo, 0, v_comision);
  end if;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('escrow.released', p_trabajo::text, 'payments', jsonb_build_object(
    'trabajo_id', p_trabajo, 'cliente_id', v_job.cliente_id, 'profesional_id', v_job.profesional_id,
    'monto', v_monto, 'monto_neto', v_monto - v_comision, 'comision', v_comision, 'tasa_comision', v_tasa))
  returning id into v_event;
  return query select (v_monto - v_comision)::numeric, v_comision::numeric, v_tasa, v_event;
end;
$$;

-- A cancellation or dispute asks for a refund of p_monto (null = all that is held): recorded as
-- PENDIENTE and announced (refund.requested); payments carries it out through MercadoPago's
-- refunds API and books the REEMBOLSO entry when MercadoPago confirms. Once per job.
create function public.escrow_solicitar_reembolso(p_trabajo uuid, p_monto numeric, p_motivo text)
returns table (reembolso_id uuid, monto numeric, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.trabajos;
  v_monto numeric(12, 2);
  v_id uuid;
  v_event uuid;
begin
  select * into v_job from public.trabajos t where t.id = p_trabajo;
  if not found then
    raise exception 'Trabajo % no encontrado', p_trabajo using errcode = 'P0002';
  end if;
  if v_job.mercadopago_payment_id is null then
    raise exception 'No se puede reembolsar: no hay pago de MercadoPago asociado' using errcode = 'PT400';
  end if;
  v_monto := coalesce(p_monto, public.escrow_saldo(p_trabajo));
  if v_monto <= 0 or v_monto > public.escrow_saldo(p_trabajo) then
    raise exception 'No hay fondos retenidos para reembolsar en el trabajo %', p_trabajo using errcode = 'PT400';
  end if;
  insert into public.reembolsos (trabajo_id, mp_payment_id, monto, motivo)
  values (p_trabajo, v_job.mercadopago_payment_id, v_monto, p_motivo)
  on conflict (trabajo_id) do nothing
  returning id into v_id;
  if v_id is null then
    raise exception 'El trabajo % ya tiene un reembolso', p_trabajo using errcode = 'PT400';
  end if;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('refund.requested', p_trabajo::text, 'payments', jsonb_build_object(
    'reembolso_id', v_id, 'trabajo_id', p_trabajo, 'cliente_id', v_job.cliente_id,
    'profesional_id', v_job.profesional_id, 'monto', v_monto, 'motivo', p_motivo))
  returning id into v_event;
  return query select v_id, v_monto::numeric, v_event;
end;
$$;

-- MercadoPago confirmed the refund: escrow → mp_cobros, the refund COMPLETADO, refund.completed.
-- Idempotent (false when already completed).
create function public.escrow_completar_reembolso(p_reembolso uuid, p_mp_refund_id text)
returns table (completed boolean, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_refund public.reembolsos;
  v_job public.trabajos;
  v_asiento uuid;
  v_event uuid;
begin
  select * into v_refund from public.reembolsos r where r.id = p_reembolso for update;
  if not found then
    raise exception 'Reembolso % no encontrado', p_reembolso using errcode = 'P0002';
  end if;
  if v_refund.estado = 'COMPLETADO' then
    return query select false, null::uuid;
    return;
  end if;
  select * into v_job from public.trabajos t where t.id = v_refund.trabajo_id;
  insert into public.ledger_asientos (tipo, trabajo_id, descripcion)
  values ('REEMBOLSO', v_refund.trabajo_id, 'Reembolso MercadoPago ' || p_mp_refund_id)
  returning id into v_asiento;
  insert into public.ledger_movimientos (asiento_id, cuenta, trabajo_id, debe, haber) values
    (v_asiento, 'escrow', v_refund.trabajo_id, v_refund.monto, 0),
    (v_asiento, 'mp_cobros', v_refund.trabajo_id, 0, v_refund.monto);
  update public.reembolsos r
    set estado = 'COMPLETADO', mp_refund_id = p_mp_refund_id, completed_at = now(), last_error = null
    where r.id = p_reembolso;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('refund.completed', v_refund.trabajo_id::text, 'payments', jsonb_build_object(
    'reembolso_id', p_reembolso, 'trabajo_id', v_refund.trabajo_id, 'cliente_id', v_job.cliente_id,
    'profesional_id', v_job.profesional_id, 'monto', v_refund.monto, 'mp_refund_id', p_mp_refund_id))
  returning id into v_event;
  return query select true, v_event;
end;
$$;

-- The checks any test or task can run: entries that do not balance, and jobs whose escrow
-- disagrees with their state. Empty = the ledger is sound.
create function public.ledger_invariant_violations()
returns table (problema text, referencia text)
language sql
stable
security definer
set search_path = ''
as $$
  select 'asiento desbalanceado', a.id::text
  from public.ledger_asientos a
  join public.ledger_movimientos m on m.asiento_id = a.id
  group by a.id
  having sum(m.debe) <> sum(m.haber)
  union all
  select 'escrow negativo', t.id::text
  from public.trabajos t where public.escrow_saldo(t.id) < 0
  union all
  select 'trabajo liberado y reembolsado por completo', t.id::text
  from public.trabajos t
  where exists (select 1 from public.ledger_asientos a where a.trabajo_id = t.id and a.tipo = 'LIBERACION')
    and exists (select 1 from public.reembolsos r where r.trabajo_id = t.id and r.monto >= t.precio_final)
  union all
  select 'trabajo pagado sin un único pago aplicado', t.id::text
  from public.trabajos t
  where t.estado in ('PAGADO', 'EN_PROCESO', 'COMPLETADO', 'APROBADO')
    and (select count(*) from public.pagos p where p.trabajo_id = t.id and p.aplicado_at is not null) <> 1
  union all
  select 'escrow retenido en un trabajo cerrado', t.id::text
  from public.trabajos t
  where t.estado_escrow in ('LIBERADO', 'CANCELADO_REEMBOLSADO')
    and public.escrow_saldo(t.id) <> 0
    and not exists (select 1 from public.reembolsos r where r.trabajo_id = t.id and r.estado = 'PENDIENTE');
$$;

comment on function public.escrow_saldo(uuid) is 'Owner: payments. What a job''s escrow holds now.';
comment on function public.escrow_retener(uuid, numeric, text) is
  'Owner: payments. Books an approved payment into escrow (once per job). Service role only.';
comment on function public.escrow_liberar(uuid, numeric) is
  'Owner: payments. Releases escrow to the professional minus commission (once per job). Service role only.';
comment on function public.escrow_solicitar_reembolso(uuid, numeric, text) is
  'Owner: payments. Requests a refund of held money (once per job; emits refund.requested). Service role only.';
comment on function public.escrow_completar_reembolso(uuid, text) is
  'Owner: payments. Books a refund MercadoPago confirmed (emits refund.completed). Service role only.';
comment on function public.ledger_invariant_violations() is
  'Owner: payments. Ledger and escrow invariants that do not hold (empty = sound). Service role only.';

revoke execute on function public.escrow_saldo(uuid), public.escrow_retener(uuid, numeric, text),
  public.escrow_liberar(uuid, numeric), public.escrow_solicitar_reembolso(uuid, numeric, text),
  public.escrow_completar_reembolso(uuid, text), public.ledger_invariant_violations()
  from public, anon, authenticated;
grant execute on function public.escrow_saldo(uuid), public.escrow_retener(uuid, numeric, text),
  public.escrow_liberar(uuid, numeric), public.escrow_solicitar_reembolso(uuid, numeric, text),
  public.escrow_completar_reembolso(uuid, text), public.ledger_invariant_violations()
  to service_role;
