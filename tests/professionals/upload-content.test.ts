import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { createPro } from "./helpers.ts";

// Portfolio images and KYC documents go through the same content check as avatars
// (shared/upload-content.ts): no empty files, no HTML/SVG/XML under an image or pdf name.

const named = (name: string, content: string | Uint8Array) =>
  new File([typeof content === "string" ? new TextEncoder().encode(content) : content as BlobPart], name);

async function post(token: string, path: string, field: string, files: File[]) {
  const form = new FormData();
  for (const f of files) form.append(field, f);
  const res = await (await api()).fetch(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

const MARKUP: [string, string][] = [
  ["obra.jpg", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"],
  ["obra.png", "  \r\n<HTML><body><script>alert(1)</script>"],
  ["obra.webp", "\uFEFF<?xml version='1.0'?><svg/>"],
  ["obra.gif", "<!doctype html>"],
];

it("portfolio images: HTML/SVG under an image name and empty files → 400, nothing stored; placeholders pass", async () => {
  const pro = await createPro();
  const a = await api();
  const item =
    (await a.json("POST", "/professional/portfolio", { token: pro.token, body: { titulo: "Obra" } }))
      .body;
  const path = `/api/v1/professional/portfolio/${item.id}/image`;
  for (const [name, content] of MARKUP) {
    const res = await post(pro.token, path, "file", [named(name, content)]);
    assert.equal(res.status, 400, name);
    assert.match(res.body.detail, /parece una página web o un script/, name);
  }
  const empty = await post(pro.token, path, "file", [named("vacia.jpg", "")]);
  assert.equal(empty.status, 400);
  assert.equal(empty.body.detail, `El archivo "vacia.jpg" está vacío`);
  const [{ n }] = await testSql()`select count(*)::int as n from public.portfolio_imagenes
    where portfolio_item_id = ${item.id}`;
  assert.equal(n, 0);
  const ok = await post(pro.token, path, "file", [named("foto.jpg", "placeholder bytes")]);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.imagenes.length, 1);
});

it("KYC documents: markup under .pdf/.png/.txt or an empty file → 400, state unchanged; placeholders pass", async () => {
  const pro = await createPro({ estado: "PENDIENTE" });
  const path = "/api/v1/professional/kyc/upload";
  for (
    const bad of [
      named("dni.pdf", "<!DOCTYPE html><html><script>alert(1)</script>"),
      named("dni.png", "<svg onload=alert(1)>"),
      named("nota.txt", "<script>alert(1)</script>"),
    ]
  ) {
    const res = await post(pro.token, path, "files", [named("ok.pdf", "%PDF-1.4 placeholder"), bad]);
    assert.equal(res.status, 400, bad.name);
    assert.match(res.body.detail, new RegExp(`"${bad.name.replace(".", "\\.")}" parece una página web`));
  }
  const empty = await post(pro.token, path, "files", [named("vacio.pdf", new Uint8Array())]);
  assert.equal(empty.status, 400);
  const [row] =
    await testSql()`select estado_verificacion from public.profesionales where id = ${pro.profesionalId}`;
  assert.equal(row.estado_verificacion, "PENDIENTE");
  const [{ n }] = await testSql()`select count(*)::int as n from public.kyc_documentos
    where profesional_id = ${pro.profesionalId}`;
  assert.equal(n, 0);
  const ok = await post(pro.token, path, "files", [named("dni.pdf", "fake pdf bytes")]);
  assert.equal(ok.status, 200);
});
