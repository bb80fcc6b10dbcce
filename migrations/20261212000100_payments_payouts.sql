-- Owner: payments. Paying professionals out: the bank account (CBU/CVU or alias) a professional
-- is paid to, and withdrawals (retiros) of what the ledger owes them (cuenta 'profesional').
-- A withdrawal is SOLICITADO by the professional, APROBADO or RECHAZADO by an admin, and PAGADO
-- once the operator transferred it: marking it paid books the RETIRO ledger entry
-- (profesional → mp_cobros) in the same transaction. Money of SOLICITADO/APROBADO withdrawals is
-- held: available = ledger balance − those, checked under a lock on the account row, so
-- concurrent requests can never withdraw the same peso twice.
--
-- The professionals function's `profesionales.payout_account` (PUT /professional/payout-info,
-- free text, no check) stays for compatibility; withdrawals are paid to cuentas_bancarias only.

-- BCRA's check digits of a 22-digit CBU/CVU (the same rule as functions/payments/cbu.ts), for
-- the table's check constraint. Pure; security definer only to keep the private schema's rule.
create function private.cbu_valido(p_cbu text)
returns boolean
language sql
immutable
security definer
set search_path = ''
as $$
  select p_cbu ~ '^[0-9]{22}$'
    and (10 - (
      substr(p_cbu, 1, 1)::int * 7 + substr(p_cbu, 2, 1)::int * 1 + substr(p_cbu, 3, 1)::int * 3 +
      substr(p_cbu, 4, 1)::int * 9 + substr(p_cbu, 5, 1)::int * 7 + substr(p_cbu, 6, 1)::int * 1 +
      substr(p_cbu, 7, 1)::int * 3) % 10) % 10 = substr(p_cbu, 8, 1)::int
    and (10 - (
      substr(p_cbu, 9, 1)::int * 3 + substr(p_cbu, 10, 1)::int * 9 + substr(p_cbu, 11, 1)::int * 7 +
      substr(p_cbu, 12, 1)::int * 1 + substr(p_cbu, 13, 1)::int * 3 + substr(p_cbu, 14, 1)::int * 9 +
      substr(p_cbu, 15, 1)::int * 7 + substr(p_cbu, 16, 1)::int * 1 + substr(p_cbu, 17, 1)::int * 3 +
      substr(p_cbu, 18, 1)::int * 9 + substr(p_cbu, 19, 1)::int * 7 + substr(p_cbu, 20, 1)::int * 1 +
      substr(p_cbu, 21, 1)::int * 3) % 10) % 10 = substr(p_cbu, 22, 1)::int;
$$;
comment on function private.cbu_valido(text) is
  'Owner: payments. True when a CBU/CVU has 22 digits and both BCRA check digits match.';

create table public.cuentas_bancarias (
  -- One account per professional (their usuarios.id); replaced in place when they change it.
  usuario_id uuid primary key references public.usuarios (id) on delete cascade,
  tipo text not null,
  cbu text,
  alias text,
  titular text not null,
  cuit text,
  banco text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint cuentas_bancarias_tipo check (tipo in ('CBU', 'CVU', 'ALIAS')),
  constraint cuentas_bancarias_destino check (
    case tipo
      when 'ALIAS' then alias is not null and cbu is null
      else cbu is not null and alias is null
    end
  ),
  constraint cuentas_bancarias_cbu check (cbu is null or private.cbu_valido(cbu)),
  constraint cuentas_bancarias_cvu_prefix check ((tipo = 'CVU') = (cbu is not null and cbu like '000%')),
  constraint cuentas_bancarias_alias check (alias is null or alias ~ '^[A-Za-z0-9.-]{6,20}$'),
  constraint cuentas_bancarias_titular check (char_length(btrim(titular)) between 2 and 120),
  constraint cuentas_bancarias_cuit check (cuit is null or cuit ~ '^[0-9]{11}$'),
  constraint cuentas_bancarias_banco check (banco is null or char_length(banco) <= 120)
);
comment on table public.cuentas_bancarias is
  'Owner: payments. The CBU/CVU or alias a professional''s withdrawals are paid to (one each).';

create table public.retiros (
  id uuid primary key default gen_random_uuid(),
  usuario_id uuid not null references public.usuarios (id) on delete restrict,
  monto numeric(12, 2) not null,
  estado text not null default 'SOLICITADO',
  motivo_rechazo text,
  -- The destination when requested, frozen: an approved withdrawal is paid where it was asked to
  -- go even if the account changes later. `destino` is the full CBU/CVU/alias (admin export
  -- only); `destino_mascara` is what every other answer shows.
  destino_tipo text not null,
  destino text not null,
  destino_mascara text not null,
  titular text not null,
  cuit text,
  banco text,
  referencia_pago text,
  created_at timestamptz not null default now(),
  approved_at timestamptz,
  approved_by uuid references public.usuarios (id) on delete set null,
  paid_at timestamptz,
  paid_by uuid references public.usuarios (id) on delete set null,
  rejected_at timestamptz,
  rejected_by uuid references public.usuarios (id) on delete set null,
  updated_at timestamptz not null default now(),
  constraint retiros_monto_positive check (monto > 0),
  constraint retiros_estado check (estado in ('SOLICITADO', 'APROBADO', 'PAGADO', 'RECHAZADO')),
  constraint retiros_destino_tipo check (destino_tipo in ('CBU', 'CVU', 'ALIAS')),
  constraint retiros_rejected_has_reason check (
    (estado = 'RECHAZADO') = (rejected_at is not null)
    and (estado <> 'RECHAZADO' or char_length(btrim(coalesce(motivo_rechazo, ''))) between 3 and 500)
  ),
  constraint retiros_paid_has_date check ((estado = 'PAGADO') = (paid_at is not null)),
  constraint retiros_approved_before_paid check (estado <> 'PAGADO' or approved_at is not null)
);
comment on table public.retiros is
  'Owner: payments. Withdrawals: SOLICITADO → APROBADO → PAGADO (RETIRO ledger entry), or RECHAZADO.';

create index retiros_usuario_idx on public.retiros (usuario_id, created_at desc);
create index retiros_estado_idx on public.retiros (estado, created_at);
-- What available balance subtracts (held money), per professional.
create index retiros_held_idx on public.retiros (usuario_id) where estado in ('SOLICITADO', 'APROBADO');

alter table public.ledger_asientos
  add constraint ledger_asientos_retiro_fk foreign key (retiro_id) references public.retiros (id)
  on delete restrict;

alter table public.cuentas_bancarias enable row level security;
alter table public.retiros enable row level security;

create policy "Professionals can view their own bank account" on public.cuentas_bancarias
  for select to authenticated using (usuario_id = (select auth.uid()));
create policy "Admins can view every bank account" on public.cuentas_bancarias
  for select to authenticated using ((select private.is_admin()));

create policy "Professionals can view their own withdrawals" on public.retiros
  for select to authenticated using (usuario_id = (select auth.uid()));
create policy "Admins can view every withdrawal" on public.retiros
  for select to authenticated using ((select private.is_admin()));

-- A professional's history shows each job's gross, commission and net: the release entry's lines
-- of their own jobs (escrow, commission), not only their own balance lines.
create policy "Professionals can view the movements of their jobs" on public.ledger_movimientos
  for select to authenticated
  using (exists (select 1 from public.trabajos t where t.id = trabajo_id and t.profesional_id = (select auth.uid())));

revoke all on table public.cuentas_bancarias, public.retiros from anon, authenticated;
grant select on table public.cuentas_bancarias, public.retiros to authenticated;

-- What the ledger owes a professional now (credits − debits of their 'profesional' account).
create function public.profesional_saldo(p_usuario uuid)
returns numeric
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(sum(m.haber - m.debe), 0)::numeric(12, 2)
  from public.ledger_movimientos m
  where m.cuenta = 'profesional' and m.usuario_id = p_usuario;
$$;

-- Money of withdrawals not yet paid nor rejected.
create function public.profesional_retenido(p_usuario uuid)
returns numeric
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(sum(r.monto), 0)::numeric(12, 2)
  from public.retiros r
  where r.usuario_id = p_usuario and r.estado in ('SOLICITADO', 'APROBADO');
$$;

-- A professional asks to withdraw p_monto to their account. Locks their account row, so that
-- concurrent requests are serialised: each sees the others' held money. PT400 when there is no
-- account, the amount is under p_minimo, or it exceeds what is available. Emits payout.requested.
create function public.retiro_solicitar(p_usuario uuid, p_monto numeric, p_minimo numeric)
returns table (retiro_id uuid, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_cuenta public.cuentas_bancarias;
  v_disponible numeric(12, 2);
  v_destino text;
  v_id uuid;
  v_event uuid;
begin
  select * into v_cuenta from public.cuentas_bancarias c where c.usuario_id = p_usuario for update;
  if not found then
    raise exception 'Primero registrá una cuenta bancaria (CBU, CVU o alias) para retirar'
      using errcode = 'PT400';
  end if;
  if p_monto is null or p_monto <= 0 or p_monto <> round(p_monto, 2) then
    raise exception 'El monto debe ser positivo y con hasta dos decimales' using errcode = 'PT400';
  end if;
  if p_monto < p_minimo then
    raise exception 'El monto mínimo de retiro es $%', to_char(p_minimo, 'FM999999999990.00')
      using errcode = 'PT400';
  end if;
  v_disponible := public.profesional_saldo(p_usuario) - public.profesional_retenido(p_usuario);
  if p_monto > v_disponible then
    raise exception 'Saldo insuficiente: tenés $% disponibles', to_char(greatest(v_disponible, 0), 'FM999999999990.00')
      using errcode = 'PT400';
  end if;
  v_destino := coalesce(v_cuenta.cbu, v_cuenta.alias);
  insert into public.retiros (usuario_id, monto, destino_tipo, destino, destino_mascara, titular, cuit, banco)
  values (p_usuario, p_monto, v_cuenta.tipo, v_destino,
    repeat('*', greatest(char_length(v_destino) - 4, 0)) || right(v_destino, 4),
    v_cuenta.titular, v_cuenta.cuit, v_cuenta.banco)
  returning id into v_id;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values ('payout.requested', v_id::text, 'payments', jsonb_build_object(
    'retiro_id', v_id, 'usuario_id', p_usuario, 'profesional_id', p_usuario, 'monto', p_monto))
  returning id into v_event;
  return query select v_id, v_event;
end;
$$;

-- The one transition function of a withdrawal: p_accion APROBAR (from SOLICITADO), RECHAZAR
-- (from SOLICITADO or APROBADO; needs p_motivo) or PAGAR (from APROBADO; books RETIRO
-- profesional → mp_cobros). Row-locked; any other state raises PT400 naming it. Emits
-- payout.approved / payout.rejected / payout.paid.
create function public.retiro_transicion(p_retiro uuid, p_accion text, p_admin uuid, p_motivo text default null,
  p_referencia text default null)
returns table (nuevo_estado text, event_id uuid)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_retiro public.retiros;
  v_asiento uuid;
  v_event uuid;
  v_nuevo text;
  v_desde text[];
begin
  select * into v_retiro from public.retiros r where r.id = p_retiro for update;
  if not found then
    raise exception 'Retiro no encontrado' using errcode = 'PT404';
  end if;
  case p_accion
    when 'APROBAR' then v_nuevo := 'APROBADO'; v_desde := array['SOLICITADO'];
    when 'RECHAZAR' then v_nuevo := 'RECHAZADO'; v_desde := array['SOLICITADO', 'APROBADO'];
    when 'PAGAR' then v_nuevo := 'PAGADO'; v_desde := array['APROBADO'];
    else raise exception 'Acción desconocida: %', p_accion using errcode = '22023';
  end case;
  if not (v_retiro.estado = any (v_desde)) then
    raise exception 'El retiro está en estado %; solo se puede % uno en estado %', v_retiro.estado,
      lower(p_accion), array_to_string(v_desde, ' o ') using errcode = 'PT400';
  end if;
  if p_accion = 'RECHAZAR' and char_length(btrim(coalesce(p_motivo, ''))) < 3 then
    raise exception 'Indicá el motivo del rechazo (al menos 3 caracteres)' using errcode = 'PT400';
  end if;
  if p_accion = 'PAGAR' then
    -- Held money is never withdrawable twice, so this only fails if the ledger was tampered with.
    if public.profesional_saldo(v_retiro.usuario_id) < v_retiro.monto then
      raise exception 'El saldo del profesional no alcanza para pagar este retiro' using errcode = 'PT400';
    end if;
    insert into public.ledger_asientos (tipo, retiro_id, descripcion)
    values ('RETIRO', p_retiro, 'Retiro a ' || v_retiro.destino_mascara)
    returning id into v_asiento;
    insert into public.ledger_movimientos (asiento_id, cuenta, usuario_id, debe, haber) values
      (v_asiento, 'profesional', v_retiro.usuario_id, v_retiro.monto, 0),
      (v_asiento, 'mp_cobros', null, 0, v_retiro.monto);
  end if;
  update public.retiros r set
    estado = v_nuevo,
    updated_at = now(),
    approved_at = case when p_accion = 'APROBAR' then now() else r.approved_at end,
    approved_by = case when p_accion = 'APROBAR' then p_admin else r.approved_by end,
    rejected_at = case when p_accion = 'RECHAZAR' then now() else r.rejected_at end,
    rejected_by = case when p_accion = 'RECHAZAR' then p_admin else r.rejected_by end,
    motivo_rechazo = case when p_accion = 'RECHAZAR' then btrim(p_motivo) else r.motivo_rechazo end,
    paid_at = case when p_accion = 'PAGAR' then now() else r.paid_at end,
    paid_by = case when p_accion = 'PAGAR' then p_admin else r.paid_by end,
    referencia_pago = case when p_accion = 'PAGAR' then p_referencia else r.referencia_pago end
  where r.id = p_retiro;
  insert into public.outbox (type, aggregate_id, producer, payload)
  values (
    case p_accion when 'APROBAR' then 'payout.approved' when 'RECHAZAR' then 'payout.rejected' else 'payout.paid' end,
    p_retiro::text, 'payments',
    jsonb_build_object('retiro_id', p_retiro, 'usuario_id', v_retiro.usuario_id,
      'profesional_id', v_retiro.usuario_id, 'monto', v_retiro.monto, 'estado', v_nuevo,
      'destino', v_retiro.destino_mascara)
      || case when p_accion = 'RECHAZAR' then jsonb_build_object('motivo', btrim(p_motivo)) else '{}'::jsonb end)
  returning id into v_event;
  return query select v_nuevo, v_event;
end;
$$;

-- Payout invariants (empty = sound): balances never negative, held money covered by the balance,
-- each PAGADO withdrawal has exactly its RETIRO entry of its amount, and no RETIRO entry without one.
create function public.payout_invariant_violations()
returns table (problema text, referencia text)
language sql
stable
security definer
set search_path = ''
as $$
  select 'saldo de profesional negativo', m.usuario_id::text
  from public.ledger_movimientos m where m.cuenta = 'profesional'
  group by m.usuario_id having sum(m.haber - m.debe) < 0
  union all
  select 'retiros pendientes mayores que el saldo', r.usuario_id::text
  from public.retiros r where r.estado in ('SOLICITADO', 'APROBADO')
  group by r.usuario_id having sum(r.monto) > public.profesional_saldo(r.usuario_id)
  union all
  select 'retiro pagado sin su asiento', r.id::text
  from public.retiros r
  where r.estado = 'PAGADO' and not exists (
    select 1 from public.ledger_asientos a join public.ledger_movimientos m on m.asiento_id = a.id
    where a.retiro_id = r.id and a.tipo = 'RETIRO' and m.cuenta = 'profesional'
      and m.usuario_id = r.usuario_id and m.debe = r.monto)
  union all
  select 'asiento de retiro sin retiro pagado', a.id::text
  from public.ledger_asientos a
  where a.tipo = 'RETIRO' and not exists (
    select 1 from public.retiros r where r.id = a.retiro_id and r.estado = 'PAGADO');
$$;

comment on function public.profesional_saldo(uuid) is
  'Owner: payments. What the ledger owes a professional now. Service role only.';
comment on function public.profesional_retenido(uuid) is
  'Owner: payments. A professional''s money held by unpaid withdrawals. Service role only.';
comment on function public.retiro_solicitar(uuid, numeric, numeric) is
  'Owner: payments. Requests a withdrawal under a lock (≤ available; emits payout.requested). Service role only.';
comment on function public.retiro_transicion(uuid, text, uuid, text, text) is
  'Owner: payments. Approve / reject / pay a withdrawal (paying books RETIRO). Service role only.';
comment on function public.payout_invariant_violations() is
  'Owner: payments. Payout invariants that do not hold (empty = sound). Service role only.';

revoke execute on function private.cbu_valido(text) from public, anon;
grant execute on function private.cbu_valido(text) to authenticated, service_role;
revoke execute on function public.profesional_saldo(uuid), public.profesional_retenido(uuid),
  public.retiro_solicitar(uuid, numeric, numeric), public.retiro_transicion(uuid, text, uuid, text, text),
  public.payout_invariant_violations()
  from public, anon, authenticated;
grant execute on function public.profesional_saldo(uuid), public.profesional_retenido(uuid),
  public.retiro_solicitar(uuid, numeric, numeric), public.retiro_transicion(uuid, text, uuid, text, text),
  public.payout_invariant_violations()
  to service_role;
