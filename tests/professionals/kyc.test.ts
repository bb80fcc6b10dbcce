import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, file, ZERO_UUID } from "./helpers.ts";

async function sendFiles(token: string, files: File[], path = "/api/v1/professional/kyc/upload") {
  const form = new FormData();
  for (const f of files) form.append("files", f);
  const res = await (await api()).fetch(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

async function events(profileId: string) {
  return await testSql()`select type, payload from public.outbox where aggregate_id = ${profileId} order by created_at`;
}

it("KYC upload: files stored privately and recorded, PENDIENTE → EN_REVISION, kyc.submitted emitted", async () => {
  const pro = await createAccount("PROFESIONAL");
  const res = await sendFiles(pro.token, [
    file("dni frente.pdf", "%PDF-1.4 frente"),
    file("selfie.JPG", "jpeg"),
  ]);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, "ok");
  assert.equal(res.body.message, "Archivos recibidos, en revisión.");
  assert.equal(res.body.documentos, 2);
  const status = await (await api()).json("GET", "/professional/kyc/status", { token: pro.token });
  assert.equal(status.body.estado_verificacion, "EN_REVISION");
  assert.equal(status.body.kyc_status, "EN_REVISION");
  assert.equal(status.body.verificado, false);
  assert.deepEqual(status.body.documentos.map((d: { nombre_archivo: string }) => d.nombre_archivo).sort(), [
    "dni frente.pdf",
    "selfie.JPG",
  ]);
  assert.equal(JSON.stringify(status.body).includes("storage"), false, "no storage paths leak");
  const docs =
    await testSql()`select storage_path, content_type from public.kyc_documentos where profesional_id = ${pro
      .profesionalId!}`;
  assert.equal(docs.length, 2);
  // The kyc bucket is private: its public URL serves nothing.
  const publicUrl = `${testEnv().SUPABASE_URL}/storage/v1/object/public/kyc/${docs[0].storage_path}`;
  const denied = await fetch(publicUrl);
  await denied.body?.cancel();
  assert.notEqual(denied.status, 200);
  const [event] = await events(pro.profesionalId!);
  assert.equal(event.type, "kyc.submitted");
  assert.equal(event.payload.usuario_id, pro.id);
  assert.equal(event.payload.documentos, 2);
});

it("KYC upload is refused (400) while EN_REVISION or APROBADO, and allowed again after a rejection", async () => {
  const pro = await createAccount("PROFESIONAL");
  const admin = await createAccount("ADMIN");
  assert.equal((await sendFiles(pro.token, [file("a.pdf")])).status, 200);
  const again = await sendFiles(pro.token, [file("b.pdf")], "/professional/kyc/submit");
  assert.equal(again.status, 400);
  assert.match(again.body.detail, /EN_REVISION/);
  const a = await api();
  await a.json("POST", `/admin/kyc/reject/${pro.profesionalId}`, { token: admin.token });
  assert.equal((await sendFiles(pro.token, [file("c.png")], "/professional/kyc/submit")).status, 200);
  await a.json("PUT", `/admin/kyc/${pro.profesionalId}/approve`, { token: admin.token });
  const approved = await sendFiles(pro.token, [file("d.pdf")]);
  assert.equal(approved.status, 400);
  assert.match(approved.body.detail, /APROBADO/);
});

it("KYC upload validation: no files 422, bad type 400, too many 400, too big 413 — state unchanged", async () => {
  const pro = await createAccount("PROFESIONAL");
  const client = await createAccount("CLIENTE");
  assert.equal((await sendFiles(pro.token, [])).status, 422);
  const exe = await sendFiles(pro.token, [file("virus.exe")]);
  assert.equal(exe.status, 400);
  assert.match(exe.body.detail, /Formato no permitido/);
  assert.equal(
    (await sendFiles(pro.token, Array.from({ length: 11 }, (_, i) => file(`${i}.txt`)))).status,
    400,
  );
  const big = new File([new Uint8Array(10 * 1024 * 1024 + 1)], "big.pdf");
  assert.equal((await sendFiles(pro.token, [big])).status, 413);
  assert.equal((await sendFiles(client.token, [])).status, 403, "role before validation");
  const none = await (await api()).fetch("/professional/kyc/upload", { method: "POST" });
  await none.body?.cancel();
  assert.equal(none.status, 401);
  const [row] = await testSql()`select estado_verificacion from public.profesionales where id = ${pro
    .profesionalId!}`;
  assert.equal(row.estado_verificacion, "PENDIENTE");
  assert.equal((await events(pro.profesionalId!)).length, 0);
});

it("POST /professional/kyc/submit also takes the JSON flavour (document URLs)", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  assert.equal(
    (await a.json("POST", "/professional/kyc/submit", { token: pro.token, body: {} })).status,
    422,
  );
  const res = await a.json("POST", "/professional/kyc/submit", {
    token: pro.token,
    body: { dni_frente_url: "https://example.com/frente.jpg", selfie_url: "https://example.com/selfie.jpg" },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.documentos, 2);
});

it("admin queues: /pendientes lists EN_REVISION, /pending EN_REVISION then PENDIENTE, documents as signed URLs", async () => {
  const admin = await createAccount("ADMIN");
  const client = await createAccount("CLIENTE");
  const submitted = await createAccount("PROFESIONAL", { nombre: "Rita", apellido: "Luz" });
  const waiting = await createAccount("PROFESIONAL");
  await sendFiles(submitted.token, [file("dni.pdf", "contenido del dni")]);
  const a = await api();
  const pendientes = await a.json("GET", "/admin/kyc/pendientes", { token: admin.token });
  assert.equal(pendientes.status, 200);
  const entry = pendientes.body.find((p: { id: string }) => p.id === submitted.profesionalId);
  assert.ok(entry, "the submitted professional is in the queue by profile id");
  assert.equal(entry.email, submitted.email);
  assert.deepEqual([entry.nombre, entry.apellido, entry.estado_verificacion], ["Rita", "Luz", "EN_REVISION"]);
  assert.ok(entry.fecha_creacion);
  assert.ok(!pendientes.body.some((p: { id: string }) => p.id === waiting.profesionalId));
  assert.equal(JSON.stringify(pendientes.body).includes("password"), false);
  const [doc] = entry.documentos;
  assert.equal(doc.nombre_archivo, "dni.pdf");
  const signed = await fetch(doc.url);
  assert.equal(signed.status, 200);
  assert.equal(await signed.text(), "contenido del dni");
  assert.ok(new Date(doc.expira_en).getTime() > Date.now());
  const pending = await a.json("GET", "/admin/kyc/pending", { token: admin.token });
  const order = pending.body.map((p: { estado_verificacion: string }) => p.estado_verificacion);
  assert.ok(
    order.indexOf("PENDIENTE") === -1 || order.lastIndexOf("EN_REVISION") < order.indexOf("PENDIENTE"),
  );
  assert.ok(pending.body.some((p: { id: string }) => p.id === waiting.profesionalId));
  for (const path of ["/admin/kyc/pendientes", "/admin/kyc/pending"]) {
    assert.equal((await a.json("GET", path, { token: client.token })).status, 403);
    assert.equal((await a.json("GET", path)).status, 401);
  }
});

it("approve/reject on both path styles, from any state; reason stored; events; BRONCE commission 0.20", async () => {
  const admin = await createAccount("ADMIN");
  const pro = await createPro({ estado: "PENDIENTE" });
  await testSql()`update public.profesionales set tasa_comision_actual = 0.5 where id = ${pro.profesionalId}`;
  const a = await api();
  let res = await a.json("POST", `/admin/kyc/approve/${pro.profesionalId}`, { token: admin.token });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "aprobado");
  assert.equal(res.body.profesional_id, pro.profesionalId);
  let me = await a.json("GET", "/professional/me", { token: pro.token });
  assert.equal(me.body.estado_verificacion, "APROBADO");
  assert.equal(me.body.tasa_comision_actual, 0.2);
  res = await a.json("PUT", `/admin/kyc/${pro.profesionalId}/reject`, {
    token: admin.token,
    body: { reason: "DNI ilegible" },
  });
  assert.equal(res.status, 200);
  assert.deepEqual([res.body.status, res.body.message, res.body.reason], [
    "rechazado",
    "KYC rechazado",
    "DNI ilegible",
  ]);
  const status = await a.json("GET", "/professional/kyc/status", { token: pro.token });
  assert.equal(status.body.estado_verificacion, "RECHAZADO");
  assert.equal(status.body.motivo_rechazo, "DNI ilegible");
  assert.equal(JSON.stringify(status.body).includes(admin.id), false, "the reviewer's id is never shown");
  res = await a.json("POST", `/admin/kyc/reject/${pro.profesionalId}`, { token: admin.token });
  assert.equal(res.body.reason, null);
  res = await a.json("PUT", `/admin/kyc/${pro.profesionalId}/approve`, { token: admin.token });
  assert.equal(res.body.message, "KYC aprobado correctamente");
  me = await a.json("GET", "/professional/me", { token: pro.token });
  assert.equal(me.body.estado_verificacion, "APROBADO");
  const types = (await events(pro.profesionalId)).map((e) => e.type);
  assert.deepEqual(types, ["kyc.approved", "kyc.rejected", "kyc.rejected", "kyc.approved"]);
  const [, rejected] = await events(pro.profesionalId);
  assert.equal(rejected.payload.motivo, "DNI ilegible");
});

it("approve/reject: 404 unknown profile, 404 malformed id, 403 non-admin, 401 without token", async () => {
  const admin = await createAccount("ADMIN");
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  for (
    const [method, path] of [
      ["POST", "/admin/kyc/approve/:id"],
      ["PUT", "/admin/kyc/:id/approve"],
      ["POST", "/admin/kyc/reject/:id"],
      ["PUT", "/admin/kyc/:id/reject"],
    ]
  ) {
    const unknown = await a.json(method, path.replace(":id", ZERO_UUID), { token: admin.token });
    assert.equal(unknown.status, 404, `${method} ${path}`);
    assert.equal(unknown.body.detail, "Profesional no encontrado");
    assert.equal((await a.json(method, path.replace(":id", "abc"), { token: admin.token })).status, 404);
    assert.equal(
      (await a.json(method, path.replace(":id", pro.profesionalId!), { token: pro.token })).status,
      403,
    );
    assert.equal((await a.json(method, path.replace(":id", pro.profesionalId!))).status, 401);
  }
  const tooLong = await a.json("PUT", `/admin/kyc/${pro.profesionalId}/reject`, {
    token: admin.token,
    body: { reason: "x".repeat(1001) },
  });
  assert.equal(tooLong.status, 422);
});
