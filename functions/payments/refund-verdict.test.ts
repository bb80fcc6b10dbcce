import assert from "node:assert/strict";
import { refundVerdict } from "./refunds.ts";

const answer = (status: string | null, amount: number) => ({ id: "77", paymentId: "12", amount, status });

Deno.test("a refund is booked only as approved, for exactly the amount owed (to the cent)", () => {
  assert.deepEqual(refundVerdict(answer("approved", 2000), "2000.00"), { kind: "completed" });
  assert.deepEqual(refundVerdict(answer("approved", 1500.1), "1500.10"), { kind: "completed" });
  assert.deepEqual(refundVerdict(answer("approved", 0.1 + 0.2), "0.30"), { kind: "completed" });
});

Deno.test("a refund still in process, or without a status, waits: it may yet be rejected", () => {
  for (const status of ["in_process", "pending", "authorized", null]) {
    const verdict = refundVerdict(answer(status, 2000), "2000.00");
    assert.equal(verdict.kind, "pending", String(status));
  }
  assert.match(
    (refundVerdict(answer("in_process", 2000), "2000.00") as { reason: string }).reason,
    /in_process/,
  );
});

Deno.test("a rejected or cancelled refund fails, and so does one MercadoPago made for another amount", () => {
  assert.equal(refundVerdict(answer("rejected", 2000), "2000.00").kind, "failed");
  assert.equal(refundVerdict(answer("cancelled", 2000), "2000.00").kind, "failed");
  const short = refundVerdict(answer("approved", 1500), "2000.00");
  assert.equal(short.kind, "failed");
  assert.match((short as { reason: string }).reason, /devolvió \$ 1500\.00 de \$ 2000\.00 \(reembolso 77\)/);
  assert.equal(refundVerdict(answer("approved", 2000.01), "2000.00").kind, "failed");
});
