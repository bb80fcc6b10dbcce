-- Owner: payments. The ledger-vs-MercadoPago report and closing anomalies:
-- * pagos.conciliado_at: when reconciliation last compared an applied payment's ledger (held,
--   refunded) with what MercadoPago says of it, so each pass checks the least recently seen first;
-- * pago_anomalias: who closed a case, with a note; admins may close cases (only those columns).

alter table public.pagos add column conciliado_at timestamptz;
comment on column public.pagos.conciliado_at is
  'Owner: payments. Last ledger-vs-MercadoPago comparison of this applied payment (null: never).';
-- The reconciliation's rotation: applied payments, never or least recently compared first.
create index pagos_conciliacion_idx on public.pagos (conciliado_at nulls first, aplicado_at)
  where aplicado_at is not null;

alter table public.pago_anomalias
  add column resuelta_por uuid references public.usuarios (id) on delete set null,
  add column nota_resolucion text,
  add constraint pago_anomalias_resolved_has_date check ((estado = 'RESUELTA') = (resuelta_at is not null)),
  add constraint pago_anomalias_nota_length check (nota_resolucion is null or length(nota_resolucion) <= 1000);
-- A CONCILIACION case is not reopened for the same discrepancy once closed (detalle->>'huella').
create index pago_anomalias_huella_idx on public.pago_anomalias (mp_payment_id, (detalle ->> 'huella'))
  where tipo = 'CONCILIACION';

create policy "Admins can resolve anomalies" on public.pago_anomalias
  for update to authenticated
  using ((select private.is_admin()))
  with check ((select private.is_admin()));

grant update (estado, resuelta_at, resuelta_por, nota_resolucion) on table public.pago_anomalias to authenticated;
