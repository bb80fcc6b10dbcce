import type { Tx } from "../../shared/db.ts";

/** A `pago_anomalias` row as the admin routes read it. */
export type AnomalyRow = {
  id: string;
  tipo: string;
  estado: string;
  mp_payment_id: string | null;
  trabajo_id: string | null;
  detalle: Record<string, unknown>;
  created_at: Date;
  resuelta_at: Date | null;
  resuelta_por: string | null;
  nota_resolucion: string | null;
};

/** Columns of `AnomalyRow`, for `select ${anomalyColumns(tx)} …` and `returning ${anomalyColumns(tx)}`. */
export function anomalyColumns(tx: Tx) {
  return tx`id, tipo, estado, mp_payment_id, trabajo_id, detalle, created_at, resuelta_at, resuelta_por,
    nota_resolucion`;
}

/** The anomaly as the admin routes answer it (`anomalySchema`): timestamps as ISO strings. */
export function toAnomalyRead(row: AnomalyRow) {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    resuelta_at: row.resuelta_at?.toISOString() ?? null,
  };
}
