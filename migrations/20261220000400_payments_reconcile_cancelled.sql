-- Owner: payments. Reconciliation re-read only unpaid jobs: a payment approved after its job was
-- cancelled, or a second payment of a paid job, whose webhook was lost, was never seen, so never
-- returned (20261220000300). It now also re-reads, for PAYMENTS_RECONCILE_LATE_HOURS, jobs
-- cancelled before any payment was applied and jobs just paid, each kind with a batch of its own
-- after the unpaid ones, and takes the least recently re-read first (`conciliada_at`), so a batch
-- smaller than the backlog still reaches every job in turn.
alter table public.pago_preferencias add column conciliada_at timestamptz;
comment on column public.pago_preferencias.conciliada_at is
  'Owner: payments. When reconciliation last re-read this job''s payments from MercadoPago (null: never).';

-- The jobs it re-reads, recent ones (on chat-offers' table, for payments' read only).
create index trabajos_cancelados_sin_pago_idx on public.trabajos (fecha_cancelacion)
  where estado = 'CANCELADO' and mercadopago_payment_id is null;
create index trabajos_pagados_idx on public.trabajos (fecha_pago) where mercadopago_payment_id is not null;
