import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * An open dispute freezes a job's money: approval (manual or automatic), finalizar and every
 * cancellation by the parties or an admin answer 400 naming the dispute's state (API.md rule 3:
 * a business rule on routes that predate disputes) until an admin resolves it (the resolution
 * marks it RESUELTA first, in the same transaction, and then moves the job).
 *
 * The job row is locked before looking, and opening a dispute locks it too, so "approve" and
 * "open a dispute" at the same instant serialize: either the approval sees the dispute, or the
 * dispute sees the approved job and is refused.
 *
 * @example
 * await refuseWhileDisputed(tx, jobId); // throws AppError("bad_request") while a dispute is ABIERTA
 */
export async function refuseWhileDisputed(tx: Tx, jobId: string): Promise<void> {
  await tx`select 1 from public.trabajos where id = ${jobId} for update`;
  const [open] = await tx<{ id: string }[]>`
    select id from public.disputas where trabajo_id = ${jobId} and estado = 'ABIERTA'`;
  if (open) {
    throw new AppError(
      "bad_request",
      "El trabajo tiene una disputa abierta (ABIERTA): el pago queda congelado hasta que un administrador " +
        "la resuelva",
    );
  }
}
