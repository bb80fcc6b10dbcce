-- Owner: platform. invariant_violations() flagged every job cancelled or expired before payment:
-- those are CANCELADO_REEMBOLSADO as well (compatibility.md §4.3) and have no applied payment. The
-- check now expects one applied payment only of a job that was paid, and none of one that was not.
-- The rest of the function is unchanged (its comment and grants stay with it).

create or replace function public.invariant_violations(
  p_subscribers jsonb,
  p_grace interval default interval '30 seconds',
  p_refs uuid[] default null
)
returns table (invariante text, problema text, referencia text, refs uuid[])
language sql
stable
security definer
set search_path = ''
as $$
  with
  job_refs as (
    select t.id, array[t.id, t.cliente_id, t.profesional_id] as refs from public.trabajos t
  ),
  ledger as (
    select v.problema, v.referencia from public.ledger_invariant_violations() v
  ),
  checks as (
    -- Every entry's debits equal its credits; escrow never negative nor left in a closed job.
    select 'ledger'::text as invariante, l.problema, l.referencia,
      coalesce(
        (select j.refs from job_refs j where j.id::text = l.referencia),
        (select j.refs || a.id from public.ledger_asientos a join job_refs j on j.id = a.trabajo_id
          where a.id::text = l.referencia),
        (select array[a.id, r.id, r.usuario_id] from public.ledger_asientos a
          join public.retiros r on r.id = a.retiro_id where a.id::text = l.referencia),
        '{}'::uuid[]) as refs
    from ledger l
    where l.problema not in ('trabajo pagado sin un único pago aplicado', 'trabajo liberado y reembolsado por completo')
    union all
    -- Escrow per job equals what its state implies: all of the applied payment while held, nothing before.
    select 'ledger', 'escrow distinto del pago aplicado', t.id::text, j.refs
    from public.trabajos t join job_refs j on j.id = t.id
    where t.estado_escrow = 'PAGADO_EN_ESCROW'
      and public.escrow_saldo(t.id) is distinct from (
        select p.monto from public.pagos p where p.trabajo_id = t.id and p.aplicado_at is not null)
    union all
    select 'ledger', 'escrow en un trabajo sin pagar', t.id::text, j.refs
    from public.trabajos t join job_refs j on j.id = t.id
    where t.estado_escrow = 'PENDIENTE_PAGO' and public.escrow_saldo(t.id) <> 0
    union all
    -- Every job in PAGADO or later (a refunded one too) has exactly one applied payment.
    select 'one-applied-payment', l.problema, l.referencia, coalesce(j.refs, '{}')
    from ledger l left join job_refs j on j.id::text = l.referencia
    where l.problema = 'trabajo pagado sin un único pago aplicado'
    union all
    -- A job cancelled before it was paid is CANCELADO_REEMBOLSADO too (compatibility.md §4.3), with
    -- nothing applied; one paid (fecha_pago) has exactly one applied payment.
    select 'one-applied-payment', 'trabajo reembolsado sin un único pago aplicado', t.id::text, j.refs
    from public.trabajos t join job_refs j on j.id = t.id
    where t.estado_escrow = 'CANCELADO_REEMBOLSADO'
      and (select count(*) from public.pagos p where p.trabajo_id = t.id and p.aplicado_at is not null)
        <> (case when t.fecha_pago is null then 0 else 1 end)
    union all
    -- No job both released in full and refunded in full.
    select 'released-xor-refunded', l.problema, l.referencia, coalesce(j.refs, '{}')
    from ledger l left join job_refs j on j.id::text = l.referencia
    where l.problema = 'trabajo liberado y reembolsado por completo'
    union all
    -- Every published event reached each subscriber once (the inbox key makes "more than once"
    -- impossible); what is not published yet is pending/failed in the outbox with its error.
    select 'events', 'evento publicado sin entregar a ' || s.key, o.id::text,
      array_remove(array[private.uuid_or_null(o.aggregate_id), private.uuid_or_null(o.payload ->> 'trabajo_id'),
        private.uuid_or_null(o.payload ->> 'usuario_id'), private.uuid_or_null(o.payload ->> 'cliente_id'),
        private.uuid_or_null(o.payload ->> 'profesional_id'),
        private.uuid_or_null(o.payload ->> 'profesional_usuario_id'), o.id], null)
    from public.outbox o
    cross join lateral jsonb_each(p_subscribers) s
    where o.status = 'published' and o.published_at < now() - p_grace
      and exists (select 1 from jsonb_array_elements_text(s.value) p(pattern)
        where p.pattern in ('*', o.type, split_part(o.type, '.', 1) || '.*'))
      and not exists (select 1 from public.inbox i where i.consumer = s.key and i.event_id = o.id)
    union all
    select 'events', 'evento fallido sin error visible', o.id::text,
      array_remove(array[private.uuid_or_null(o.aggregate_id), o.id], null)
    from public.outbox o
    where o.status = 'failed' and coalesce(btrim(o.last_error), '') = ''
    union all
    -- Each in-app notification comes from one event its receiver recorded (same transaction).
    select 'notifications', 'notificación sin evento', n.id::text, array[n.id, n.usuario_id]
    from public.notifications n where n.event_id is null
    union all
    select 'notifications', 'notificación de un evento que notifications no recibió', n.id::text,
      array[n.id, n.usuario_id, n.event_id]
    from public.notifications n
    where n.event_id is not null and n.created_at > now() - interval '89 days'
      and not exists (select 1 from public.inbox i where i.consumer = 'notifications' and i.event_id = n.event_id)
    union all
    -- Ratings equal the mean of the reviews, once professionals handled every review.created.
    select 'ratings', format('rating %s/%s, reseñas %s/%s', p.rating_promedio, p.total_resenas,
        coalesce(round(avg(r.rating)::numeric, 2), 0), count(r.id)), p.id::text, array[p.id, p.usuario_id]
    from public.profesionales p left join public.resenas r on r.profesional_id = p.id
    where not exists (
      select 1 from public.outbox o
      where o.type = 'review.created' and o.payload ->> 'profesional_id' = p.id::text
        and not exists (select 1 from public.inbox i where i.consumer = 'professionals' and i.event_id = o.id))
    group by p.id
    having p.total_resenas <> count(r.id) or p.rating_promedio <> coalesce(round(avg(r.rating)::numeric, 2), 0)
    union all
    -- Balances equal movements: the payout checks, and each account against the business rows.
    select 'balances', v.problema, v.referencia,
      coalesce((select array[r.id, r.usuario_id] from public.retiros r where r.id::text = v.referencia),
        (select array[a.id, r.id, r.usuario_id] from public.ledger_asientos a join public.retiros r on r.id = a.retiro_id
          where a.id::text = v.referencia),
        array[private.uuid_or_null(v.referencia)])
    from public.payout_invariant_violations() v
    union all
    select 'balances', 'cobro distinto del pago aplicado', t.id::text, j.refs
    from public.trabajos t join job_refs j on j.id = t.id
    where (select sum(m.debe) from public.ledger_asientos a join public.ledger_movimientos m on m.asiento_id = a.id
        where a.trabajo_id = t.id and a.tipo = 'COBRO' and m.cuenta = 'mp_cobros')
      is distinct from (select p.monto from public.pagos p where p.trabajo_id = t.id and p.aplicado_at is not null)
    union all
    select 'balances', 'reembolso completado distinto de su asiento', f.id::text,
      coalesce(j.refs || f.id, array[f.id])
    from public.reembolsos f left join job_refs j on j.id = f.trabajo_id
    where (f.estado = 'COMPLETADO') is distinct from exists (
        select 1 from public.ledger_asientos a join public.ledger_movimientos m on m.asiento_id = a.id
        where a.trabajo_id = f.trabajo_id and a.tipo = 'REEMBOLSO' and m.cuenta = 'escrow' and m.debe = f.monto)
    union all
    select 'balances', 'saldo distinto de liberaciones menos retiros pagados', u.usuario_id::text, array[u.usuario_id]
    from (select distinct m.usuario_id from public.ledger_movimientos m where m.cuenta = 'profesional') u
    where public.profesional_saldo(u.usuario_id) <> (
      (select coalesce(sum(m.haber), 0) from public.ledger_movimientos m join public.ledger_asientos a on a.id = m.asiento_id
        where m.cuenta = 'profesional' and m.usuario_id = u.usuario_id and a.tipo = 'LIBERACION')
      - (select coalesce(sum(r.monto), 0) from public.retiros r where r.usuario_id = u.usuario_id and r.estado = 'PAGADO'))
  )
  select c.invariante, c.problema, c.referencia, c.refs from checks c
  where p_refs is null or c.refs && p_refs;
$$;
