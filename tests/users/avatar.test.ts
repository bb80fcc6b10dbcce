import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { api } from "../support/gateway.ts";
import { uploadAvatar, USER_READ_KEYS } from "./helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

async function avatarUrlOf(userId: string): Promise<string | null> {
  const [row] = await testSql()`select avatar_url from public.usuarios where id = ${userId}`;
  return row.avatar_url;
}

it("POST /users/me/avatar stores a .jpg and returns an absolute URL that serves the bytes", async () => {
  const user = await createAccount("CLIENTE");
  const { status, body } = await uploadAvatar(user.token, {
    name: "foto.jpg",
    bytes: bytes("fake jpeg bytes"),
    type: "application/octet-stream",
  });
  assert.equal(status, 200);
  assert.deepEqual(Object.keys(body).sort(), USER_READ_KEYS);
  const url: string = body.avatar_url;
  assert.ok(
    url.startsWith(`${testEnv().SUPABASE_URL}/storage/v1/object/public/avatars/${user.id}/avatar-`),
    url,
  );
  assert.match(url, /avatar/);
  assert.ok(url.includes(user.id));
  assert.match(url, /\.jpg$/);
  const served = await fetch(url);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get("content-type"), "image/jpeg");
  assert.equal(served.headers.get("x-content-type-options"), "nosniff");
  assert.equal(await served.text(), "fake jpeg bytes");
  const me = await (await api()).json("GET", "/api/v1/users/me", { token: user.token });
  assert.equal(me.body.avatar_url, url);
});

it("POST /users/me/avatar replacing with a .PNG serves the new image and removes the old object", async () => {
  const user = await createAccount("PROFESIONAL");
  const first = await uploadAvatar(user.token, { name: "a.jpeg", bytes: bytes("first") });
  assert.equal(first.status, 200);
  const second = await uploadAvatar(user.token, { name: "B.PNG", bytes: bytes("second") });
  assert.equal(second.status, 200);
  assert.notEqual(second.body.avatar_url, first.body.avatar_url);
  const fresh = await fetch(second.body.avatar_url);
  assert.equal(fresh.headers.get("content-type"), "image/png");
  assert.equal(await fresh.text(), "second");
  const old = await fetch(first.body.avatar_url);
  assert.notEqual(old.status, 200);
  assert.equal((await old.json()).statusCode, "404");
  assert.equal(await avatarUrlOf(user.id), second.body.avatar_url);
});

it("POST /users/me/avatar accepts .gif and .webp with their content types", async () => {
  const user = await createAccount("CLIENTE");
  for (const [name, type] of [["x.gif", "image/gif"], ["y.webp", "image/webp"]]) {
    const { status, body } = await uploadAvatar(user.token, { name, bytes: bytes(name) });
    assert.equal(status, 200);
    assert.equal((await fetch(body.avatar_url)).headers.get("content-type"), type);
  }
});

it("POST /users/me/avatar refuses a .pdf with 400 and keeps the current avatar", async () => {
  const user = await createAccount("CLIENTE");
  const ok = await uploadAvatar(user.token, { name: "ok.png", bytes: bytes("png") });
  for (const name of ["doc.pdf", "sin-extension", "image.png.exe"]) {
    const { status, body } = await uploadAvatar(user.token, {
      name,
      bytes: bytes("%PDF"),
      type: "image/png",
    });
    assert.equal(status, 400, name);
    assert.match(body.detail, /^Formato no permitido\. Usa: .*\.jpg.*\.png/);
  }
  assert.equal(await avatarUrlOf(user.id), ok.body.avatar_url);
});

it("POST /users/me/avatar refuses a file over 5 MB with 413 and keeps the current avatar", async () => {
  const user = await createAccount("CLIENTE");
  const justOver = new Uint8Array(5 * 1024 * 1024 + 1);
  const { status, body } = await uploadAvatar(user.token, { name: "big.jpg", bytes: justOver });
  assert.equal(status, 413);
  assert.match(body.detail, /5 MB/);
  const huge = await uploadAvatar(user.token, { name: "huge.jpg", bytes: new Uint8Array(6 * 1024 * 1024) });
  assert.equal(huge.status, 413);
  assert.equal(await avatarUrlOf(user.id), null);
});

it("POST /users/me/avatar accepts a file of exactly 5 MB", async () => {
  const user = await createAccount("CLIENTE");
  const { status } = await uploadAvatar(user.token, {
    name: "max.webp",
    bytes: new Uint8Array(5 * 1024 * 1024),
  });
  assert.equal(status, 200);
});

it("POST /users/me/avatar without a file part answers 422; a nameless file 400", async () => {
  const user = await createAccount("CLIENTE");
  const missing = await uploadAvatar(user.token, null);
  assert.equal(missing.status, 422);
  assert.equal(typeof missing.body.detail, "string");
  const wrongField = await uploadAvatar(user.token, { name: "a.png", bytes: bytes("x") }, "imagen");
  assert.equal(wrongField.status, 422);
  const json = await (await api()).json("POST", "/api/v1/users/me/avatar", {
    token: user.token,
    body: { file: "a.png" },
  });
  assert.equal(json.status, 422);
  const nameless = await uploadAvatar(user.token, { name: "", bytes: bytes("x") });
  assert.equal(nameless.status, 400);
  assert.equal(nameless.body.detail, "Archivo no proporcionado");
  assert.equal(await avatarUrlOf(user.id), null);
});

it("POST /users/me/avatar answers 401 without a token, before looking at the body", async () => {
  const { status } = await uploadAvatar(null, { name: "a.png", bytes: new Uint8Array(6 * 1024 * 1024) });
  assert.equal(status, 401);
});

it("POST /users/me/avatar refuses HTML/SVG bytes under an image name and empty files (400), keeps the avatar", async () => {
  const user = await createAccount("CLIENTE");
  const ok = await uploadAvatar(user.token, { name: "ok.png", bytes: bytes("placeholder bytes") });
  assert.equal(ok.status, 200);
  for (
    const [name, content] of [
      ["foto.png", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(document.domain)'/>"],
      ["foto.jpg", "\uFEFF\n  <!DOCTYPE html><html><script>alert(1)</script>"],
      ["foto.gif", "<?xml version='1.0'?><svg/>"],
      ["foto.webp", "<ScRiPt>alert(1)</ScRiPt>"],
    ]
  ) {
    const { status, body } = await uploadAvatar(user.token, {
      name,
      bytes: bytes(content),
      type: "image/png",
    });
    assert.equal(status, 400, name);
    assert.match(body.detail, /parece una página web o un script/, name);
  }
  const empty = await uploadAvatar(user.token, { name: "vacio.png", bytes: new Uint8Array() });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.detail, 'El archivo "vacio.png" está vacío');
  assert.equal(await avatarUrlOf(user.id), ok.body.avatar_url);
});
