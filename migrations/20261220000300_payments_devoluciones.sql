-- Owner: payments. A payment MercadoPago approved that we cannot apply — its job was already paid
-- by another payment (the client paid twice) or was cancelled before the money arrived
-- (PAGO_TARDIO) — is given back whole, automatically, through MercadoPago's refunds API, by the
-- same refund.requested handler as a job's refund (functions/payments/refunds.ts). Its money never
-- entered our books (no COBRO), so giving it back books nothing either: `reembolsos` stays the
-- escrow's refunds and the ledger checks are unchanged. The PAGO_TARDIO anomaly records the case
-- and closes itself once MercadoPago confirms; a return that fails stays open for an admin.

create table public.devoluciones (
  id uuid primary key default gen_random_uuid(),
  mp_payment_id text not null unique,
  trabajo_id uuid not null references public.trabajos (id) on delete cascade,
  monto numeric(12, 2) not null,
  motivo text not null,
  estado text not null default 'PENDIENTE',
  mp_refund_id text,
  intentos integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint devoluciones_monto_positive check (monto > 0),
  constraint devoluciones_estado check (estado in ('PENDIENTE', 'COMPLETADO', 'FALLIDO')),
  constraint devoluciones_completed_has_date check ((estado = 'COMPLETADO') = (completed_at is not null))
);
comment on table public.devoluciones is
  'Owner: payments. A payment we could not apply (PAGO_TARDIO), given back whole through MercadoPago.';

create index devoluciones_trabajo_idx on public.devoluciones (trabajo_id);
create index devoluciones_pending_idx on public.devoluciones (created_at) where estado = 'PENDIENTE';

alter table public.devoluciones enable row level security;
create policy "Job parties can view their job's returned payments" on public.devoluciones
  for select to authenticated
  using (exists (select 1 from public.trabajos t where t.id = trabajo_id
    and (t.cliente_id = (select auth.uid()) or t.profesional_id = (select auth.uid()))));
create policy "Admins can view every returned payment" on public.devoluciones
  for select to authenticated using ((select private.is_admin()));
revoke all on table public.devoluciones from anon, authenticated;
grant select on table public.devoluciones to authenticated;

-- Asks for the return of an approved payment we could not apply: recorded PENDIENTE and
-- announced (refund.requested with `devolucion_id`). Once per payment: a repeated notification
-- returns nulls.
create function public.pago_solicitar_devolucion(
  p_payment_id text,
  p_trabajo uuid,
  p_monto numeric,
  p_motivo text
)
returns table (devolucion_id uuid, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.trabajos;
  v_id uuid;
  v_event uuid;
begin
  select * into v_job from public.trabajos t where t.id = p_trabajo;
  if not found then
    raise exception 'Trabajo % no encontrado', p_trabajo using errcode = 'P0002';
  end if;
  -- Never the payment a job holds: that money leaves only by the escrow's own refund.
  if v_job.mercadopago_payment_id = p_payment_id
    or exists (select 1 from public.pagos p where p.mp_payment_id = p_payment_id and p.aplicado_at is not null) then
    raise exception 'El pago % está aplicado a un trabajo: no se devuelve', p_payment_id using errcode = 'PT400';
  end if;
  insert into public.devoluciones (mp_payment_id, trabajo_id, monto, motivo)
  values (p_payment_id, p_trabajo, p_monto, p_motivo)
  on conflict (mp_payment_id) do nothing
  returning id into v_id;
  if v_id is null then
    return query select null::uuid, null::uuid;
    return;
  end if;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('refund.requested', p_trabajo::text, 'payments', jsonb_build_object(
    'devolucion_id', v_id, 'trabajo_id', p_trabajo, 'cliente_id', v_job.cliente_id,
    'profesional_id', v_job.profesional_id, 'monto', p_monto, 'motivo', p_motivo,
    'mp_payment_id', p_payment_id))
  returning id into v_event;
  return query select v_id, v_event;
end;
$$;

-- MercadoPago confirmed the return: COMPLETADO, the payment's PAGO_TARDIO case closed, and
-- refund.completed. Idempotent (false when already completed).
create function public.pago_completar_devolucion(p_devolucion uuid, p_mp_refund_id text)
returns table (completed boolean, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_return public.devoluciones;
  v_job public.trabajos;
  v_event uuid;
begin
  select * into v_return from public.devoluciones d where d.id = p_devolucion for update;
  if not found then
    raise exception 'Devolución % no encontrada', p_devolucion using errcode = 'P0002';
  end if;
  if v_return.estado = 'COMPLETADO' then
    return query select false, null::uuid;
    return;
  end if;
  select * into v_job from public.trabajos t where t.id = v_return.trabajo_id;
  update public.devoluciones d
    set estado = 'COMPLETADO', mp_refund_id = p_mp_refund_id, completed_at = now(), last_error = null
    where d.id = p_devolucion;
  update public.pago_anomalias a
    set estado = 'RESUELTA', resuelta_at = now(),
        nota_resolucion = 'Devuelto automáticamente por MercadoPago (reembolso ' || p_mp_refund_id || ')'
    where a.tipo = 'PAGO_TARDIO' and a.mp_payment_id = v_return.mp_payment_id and a.estado = 'ABIERTA';
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('refund.completed', v_return.trabajo_id::text, 'payments', jsonb_build_object(
    'devolucion_id', p_devolucion, 'trabajo_id', v_return.trabajo_id, 'cliente_id', v_job.cliente_id,
    'profesional_id', v_job.profesional_id, 'monto', v_return.monto, 'mp_refund_id', p_mp_refund_id,
    'mp_payment_id', v_return.mp_payment_id, 'motivo', v_return.motivo))
  returning id into v_event;
  return query select true, v_event;
end;
$$;

revoke execute on function public.pago_solicitar_devolucion(text, uuid, numeric, text),
  public.pago_completar_devolucion(uuid, text) from public, anon, authenticated;
grant execute on function public.pago_solicitar_devolucion(text, uuid, numeric, text),
  public.pago_completar_devolucion(uuid, text) to service_role;
comment on function public.pago_solicitar_devolucion(text, uuid, numeric, text) is
  'Owner: payments. Requests the return of a payment we could not apply (emits refund.requested). Service role only.';
comment on function public.pago_completar_devolucion(uuid, text) is
  'Owner: payments. Books a return MercadoPago confirmed (emits refund.completed). Service role only.';
