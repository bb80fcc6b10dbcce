import type { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { isCvu, maskDestination } from "./cbu.ts";
import type { BankAccountInput, bankAccountSchema } from "./payout-schemas.ts";

/**
 * A professional's payout account (public.cuentas_bancarias, one per professional). Written by
 * payments service code only (API roles can only read their own row); shown masked.
 */
export type BankAccountRow = {
  usuario_id: string;
  tipo: "CBU" | "CVU" | "ALIAS";
  cbu: string | null;
  alias: string | null;
  titular: string;
  cuit: string | null;
  banco: string | null;
  created_at: Date;
  updated_at: Date;
};

/** Reads through the caller's transaction (RLS: their own row). */
export async function findBankAccount(tx: Tx, usuarioId: string): Promise<BankAccountRow | null> {
  const [row] = await tx<BankAccountRow[]>`
    select usuario_id, tipo, cbu, alias, titular, cuit, banco, created_at, updated_at
    from public.cuentas_bancarias where usuario_id = ${usuarioId}`;
  return row ?? null;
}

/** Creates or replaces the account of `usuarioId` (service transaction; the owner filter is the key). */
export async function saveBankAccount(
  tx: Tx,
  usuarioId: string,
  input: BankAccountInput,
): Promise<BankAccountRow> {
  const number = input.tipo_cuenta === "alias" ? null : (input.cbu || input.cvu || null);
  const alias = number ? null : (input.alias ?? null);
  const tipo = alias ? "ALIAS" : isCvu(number!) ? "CVU" : "CBU";
  const [row] = await tx<BankAccountRow[]>`
    insert into public.cuentas_bancarias (usuario_id, tipo, cbu, alias, titular, cuit, banco)
    values (${usuarioId}, ${tipo}, ${number}, ${alias}, ${input.titular}, ${input.cuit || input.cuil || null},
      ${input.banco || null})
    on conflict (usuario_id) do update set
      tipo = excluded.tipo, cbu = excluded.cbu, alias = excluded.alias, titular = excluded.titular,
      cuit = excluded.cuit, banco = excluded.banco, updated_at = now()
    returning usuario_id, tipo, cbu, alias, titular, cuit, banco, created_at, updated_at`;
  return row;
}

/** What a professional sees of their account: the CBU/CVU and CUIT only by their last 4 digits. */
export function toBankAccountView(row: BankAccountRow): z.infer<typeof bankAccountSchema> {
  return {
    tipo_cuenta: row.tipo.toLowerCase() as "cbu" | "cvu" | "alias",
    cbu_oculto: row.cbu ? maskDestination(row.cbu) : null,
    alias: row.alias,
    titular: row.titular,
    banco: row.banco,
    cuit_oculto: row.cuit ? maskDestination(row.cuit) : null,
    fecha_creacion: row.created_at.toISOString(),
    fecha_actualizacion: row.updated_at.toISOString(),
  };
}
