import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro, file, ZERO_UUID } from "./helpers.ts";

type Item = {
  id: string;
  profesional_id: string;
  titulo: string;
  imagenes: { id: string; imagen_url: string; orden: number }[];
  imagenes_urls: string[];
};

async function upload(token: string, itemId: string, f: File | null, field = "file") {
  const form = new FormData();
  if (f) form.append(field, f);
  const res = await (await api()).fetch(`/api/v1/professional/portfolio/${itemId}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

it("portfolio CRUD: create 201 (imagenes []), list, get, update, delete 204, read back", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  const created = await a.json("POST", "/professional/portfolio", {
    token: pro.token,
    body: { titulo: "Baño completo", descripcion: "Reforma integral" },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.profesional_id, pro.profesionalId);
  assert.deepEqual(created.body.imagenes, []);
  assert.deepEqual(created.body.imagenes_urls, []);
  const id = created.body.id;
  await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Cocina" } });
  let list = await a.json("GET", "/professional/portfolio", { token: pro.token });
  assert.deepEqual(list.body.map((i: Item) => i.titulo), ["Cocina", "Baño completo"], "newest first");
  const updated = await a.json("PUT", `/professional/portfolio/${id}`, {
    token: pro.token,
    body: { titulo: "Baño" },
  });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.titulo, "Baño");
  assert.equal(updated.body.descripcion, "Reforma integral");
  assert.equal(
    (await a.json("GET", `/professional/portfolio/${id}`, { token: pro.token })).body.titulo,
    "Baño",
  );
  assert.equal((await a.json("DELETE", `/professional/portfolio/${id}`, { token: pro.token })).status, 204);
  assert.equal((await a.json("GET", `/professional/portfolio/${id}`, { token: pro.token })).status, 404);
  list = await a.json("GET", "/professional/portfolio", { token: pro.token });
  assert.deepEqual(list.body.map((i: Item) => i.titulo), ["Cocina"]);
});

it("portfolio: 422 on bad bodies, 404 on malformed ids, 401 without token, 403 for clients, 404 unknown item", async () => {
  const pro = await createAccount("PROFESIONAL");
  const client = await createAccount("CLIENTE");
  const a = await api();
  for (
    const body of [{}, { titulo: "" }, { titulo: "x".repeat(201) }, {
      titulo: "ok",
      descripcion: "x".repeat(1001),
    }]
  ) {
    assert.equal((await a.json("POST", "/professional/portfolio", { token: pro.token, body })).status, 422);
  }
  assert.equal(
    (await a.json("PUT", "/professional/portfolio/abc", { token: pro.token, body: {} })).status,
    404,
  );
  assert.equal((await a.json("POST", "/professional/portfolio", { body: { titulo: "x" } })).status, 401);
  assert.equal(
    (await a.json("POST", "/professional/portfolio", { token: client.token, body: { titulo: "x" } })).status,
    403,
  );
  assert.equal((await a.json("GET", "/professional/portfolio", { token: client.token })).status, 403);
  const missing = await a.json("PUT", `/professional/portfolio/${ZERO_UUID}`, {
    token: pro.token,
    body: { titulo: "x" },
  });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.detail, "Item de portfolio no encontrado o no pertenece al profesional");
  assert.equal(
    (await a.json("DELETE", `/professional/portfolio/${ZERO_UUID}`, { token: pro.token })).status,
    404,
  );
});

it("images: orden 0,1,2…; absolute URLs that serve the file with its type; max 10; delete one", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Deck" } })).body;
  let last: Item | null = null;
  for (const name of ["a.jpg", "b.PNG", "c.webp"]) {
    const res = await upload(pro.token, item.id, file(name, `bytes of ${name}`));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    last = res.body;
  }
  assert.deepEqual(last!.imagenes.map((i) => i.orden), [0, 1, 2]);
  assert.equal(last!.imagenes_urls.length, 3);
  const served = await fetch(last!.imagenes[1].imagen_url);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/png");
  assert.equal(await served.text(), "bytes of b.PNG");
  const deleted = await a.json("DELETE", `/professional/portfolio/${item.id}/image/${last!.imagenes[0].id}`, {
    token: pro.token,
  });
  assert.equal(deleted.status, 204);
  const again = await a.json("DELETE", `/professional/portfolio/${item.id}/images/${last!.imagenes[0].id}`, {
    token: pro.token,
  });
  assert.equal(again.status, 404);
  assert.equal(again.body.detail, "Imagen no encontrada en este item de portfolio");
  const next = await upload(pro.token, item.id, file("d.gif"));
  assert.deepEqual(next.body.imagenes.map((i: { orden: number }) => i.orden), [1, 2, 3], "max + 1");
  for (let i = 0; i < 7; i++) {
    assert.equal((await upload(pro.token, item.id, file(`x${i}.jpeg`))).status, 200);
  }
  const eleventh = await upload(pro.token, item.id, file("over.jpg"));
  assert.equal(eleventh.status, 400);
  const [{ n }] =
    await testSql()`select count(*)::int as n from public.portfolio_imagenes where portfolio_item_id = ${item.id}`;
  assert.equal(n, 10);
});

it("images: wrong type 400, empty 400, no file part 422, too large 413 — and nothing stored", async () => {
  const pro = await createAccount("PROFESIONAL");
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "X" } })).body;
  const pdf = await upload(pro.token, item.id, file("cv.pdf"));
  assert.equal(pdf.status, 400);
  assert.match(pdf.body.detail, /^Formato no permitido\. Usa: \.jpg/);
  assert.equal((await upload(pro.token, item.id, file("empty.jpg", ""))).status, 400);
  assert.equal((await upload(pro.token, item.id, null)).status, 422);
  const big = new File([new Uint8Array(5 * 1024 * 1024 + 10)], "big.jpg");
  assert.equal((await upload(pro.token, item.id, big)).status, 413);
  const read = await a.json("GET", `/professional/portfolio/${item.id}`, { token: pro.token });
  assert.deepEqual(read.body.imagenes, []);
});

it("another professional's item answers 404 (update, delete, image upload — checked before the file)", async () => {
  const owner = await createAccount("PROFESIONAL");
  const intruder = await createAccount("PROFESIONAL");
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: owner.token, body: { titulo: "Mío" } })).body;
  assert.equal(
    (await a.json("GET", `/professional/portfolio/${item.id}`, { token: intruder.token })).status,
    404,
  );
  assert.equal(
    (await a.json("PUT", `/professional/portfolio/${item.id}`, {
      token: intruder.token,
      body: { titulo: "x" },
    })).status,
    404,
  );
  assert.equal(
    (await a.json("DELETE", `/professional/portfolio/${item.id}`, { token: intruder.token })).status,
    404,
  );
  assert.equal((await upload(intruder.token, item.id, file("x.pdf"))).status, 404);
  assert.equal(
    (await a.json("GET", `/professional/portfolio/${item.id}`, { token: owner.token })).status,
    200,
  );
});

it("GET /public/professional/:id/portfolio of an approved professional, with images in orden; 404 unknown", async () => {
  const pro = await createPro();
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Pérgola" } })).body;
  await upload(pro.token, item.id, file("1.jpg"));
  await upload(pro.token, item.id, file("2.jpg"));
  const res = await a.json("GET", `/public/professional/${pro.profesionalId}/portfolio`, {
    token: "garbage",
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.length, 1);
  assert.deepEqual(res.body[0].imagenes.map((i: { orden: number }) => i.orden), [0, 1]);
  assert.equal(res.body[0].imagenes_urls.length, 2);
  assert.equal((await a.json("GET", `/public/professional/${ZERO_UUID}/portfolio`)).status, 404);
  assert.equal((await a.json("GET", `/public/professional/nope/portfolio`)).status, 404);
});
