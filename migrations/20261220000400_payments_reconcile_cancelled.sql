-- Owner: payments. Reconciliation re-read only unpaid jobs: a payment approved after its job was
-- cancelled, whose webhook was lost, was never seen, so never returned (20261220000300). It now
-- also re-reads jobs cancelled before any payment was applied, for PAYMENTS_RECONCILE_CANCELLED_HOURS
-- after the cancellation, and takes the least recently re-read first (`conciliada_at`), so a batch
-- smaller than the backlog still reaches every job in turn.
alter table public.pago_preferencias add column conciliada_at timestamptz;
comment on column public.pago_preferencias.conciliada_at is
  'Owner: payments. When reconciliation last re-read this job''s payments from MercadoPago (null: never).';
