import { createAccount, testSql } from "../support/accounts.ts";
import type { TestApi } from "../support/gateway.ts";
import { deal } from "../offers/helpers.ts";
import { clickPay, waitFor } from "../payments/helpers.ts";
import { testCbu } from "../payments/payouts-helpers.ts";

const V = "/api/v1";

/**
 * One whole marketplace flow through the gateway and the stand-ins (chat → offer → accept → pay on
 * the checkout page → work → approve → review → withdraw → paid out), for tests that check what
 * it leaves behind (invariants, secrets). tests/marketplace/full-flow.test.ts asserts each step;
 * this only fails loudly when a step does not succeed. Answers every id it touched.
 */
export async function marketplaceFlow(gw: TestApi) {
  const d = await deal(gw, { nivel: "PLATA" });
  // deal() gives the professional a made-up rating without reviews; start from the truth.
  await testSql()`update public.profesionales set rating_promedio = 0, total_resenas = 0
    where id = ${d.pro.profesionalId}`;
  const step = async (what: string, method: string, path: string, token?: string, body?: unknown) => {
    const res = await gw.json(method, `${V}${path}`, { token, body });
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const offered = await step("offer", "POST", "/chat_ofertas/ofertas", d.pro.token, {
    cliente_id: d.client.id,
    chat_id: d.chatId,
    descripcion: "Instalación de termotanque con materiales incluidos",
    precio_final: 25000,
  });
  const accepted = await step("accept", "POST", `/cliente/ofertas/${offered.id}/accept`, d.client.token);
  const jobId = accepted.trabajo_id as string;
  const link = new URL(accepted.payment_url);
  const checkout = await gw.fetch(`${V}${link.pathname}${link.search}`, { redirect: "manual" });
  await checkout.body?.cancel();
  if (checkout.status !== 302) throw new Error(`checkout: ${checkout.status}`);
  await clickPay(checkout.headers.get("location")!);
  await waitFor(async () =>
    (await gw.json("GET", `${V}/chat_ofertas/trabajos/${jobId}`, { token: d.client.token })).body.estado ===
      "PAGADO"
  );
  for (
    const [estado, token] of [["EN_PROCESO", d.pro.token], ["COMPLETADO", d.pro.token], [
      "APROBADO",
      d.client.token,
    ]]
  ) {
    await step(estado, "PUT", `/chat_ofertas/trabajos/${jobId}`, token, { estado });
  }
  const review = await step("review", "POST", `/cliente/trabajo/${jobId}/resena`, d.client.token, {
    rating: 5,
    texto_resena: "Excelente trabajo, prolijo y puntual",
  });
  const cbu = testCbu();
  await step("bank account", "POST", "/pagos/cuenta-bancaria", d.pro.token, {
    tipo_cuenta: "cbu",
    cbu,
    titular: "Pablo Plomero",
  });
  const withdrawal = await step("withdraw", "POST", "/pagos/retiros", d.pro.token, { monto: 20500 });
  const admin = await createAccount("ADMIN");
  for (const action of ["aprobar", "pagar"]) {
    await step(action, "POST", `/admin/pagos/retiros/${withdrawal.id}/${action}`, admin.token);
  }
  return {
    ...d,
    admin,
    jobId,
    ofertaId: offered.id as string,
    resenaId: review.resena.id as string,
    retiroId: withdrawal.id as string,
    cbu,
    /** Every id the flow's rows are about, for scoped checks. */
    refs: [jobId, d.client.id, d.pro.id, d.pro.profesionalId!, withdrawal.id as string],
  };
}
