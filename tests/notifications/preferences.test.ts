import assert from "node:assert/strict";
import { createAccount, testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { api } from "../support/gateway.ts";

const DEFAULTS = {
  email_ofertas: true,
  email_trabajos: true,
  email_pagos: true,
  email_mensajes: true,
  email_resenas: true,
  push_ofertas: true,
  push_trabajos: true,
  push_pagos: true,
  push_mensajes: false,
  push_resenas: true,
};

it("GET /notifications/preferences answers the original's defaults until I change one (nothing stored)", async () => {
  const user = await createAccount("CLIENTE");
  const { status, body } = await (await api()).json("GET", "/notifications/preferences", {
    token: user.token,
  });
  assert.equal(status, 200);
  assert.deepEqual(body, { user_id: user.id, ...DEFAULTS });
  const rows = await testSql()`select 1 from public.notification_preferences where usuario_id = ${user.id}`;
  assert.equal(rows.length, 0);
});

it("PUT /notifications/preferences changes only the given ones, keeps the rest, and reads back", async () => {
  const user = await createAccount("PROFESIONAL");
  const client = await api();
  const first = await client.json("PUT", "/notifications/preferences", {
    token: user.token,
    body: { email_ofertas: false, push_mensajes: true, frecuencia_resumen: "diario" },
  });
  assert.equal(first.status, 200);
  assert.deepEqual(first.body, { user_id: user.id, ...DEFAULTS, email_ofertas: false, push_mensajes: true });
  const second = await client.json("PUT", "/api/v1/notifications/preferences", {
    token: user.token,
    body: { push_pagos: false },
  });
  assert.deepEqual(second.body, {
    user_id: user.id,
    ...DEFAULTS,
    email_ofertas: false,
    push_mensajes: true,
    push_pagos: false,
  });
  const read = await client.json("GET", "/notifications/preferences", { token: user.token });
  assert.deepEqual(read.body, second.body);
});

it("one person's preferences do not touch another's", async () => {
  const [a, b] = [await createAccount("CLIENTE"), await createAccount("CLIENTE")];
  const client = await api();
  await client.json("PUT", "/notifications/preferences", { token: a.token, body: { email_pagos: false } });
  const { body } = await client.json("GET", "/notifications/preferences", { token: b.token });
  assert.equal(body.email_pagos, true);
});

it("PUT /notifications/preferences with a non-boolean or a malformed body answers 422 and changes nothing", async () => {
  const user = await createAccount("CLIENTE");
  const client = await api();
  for (const body of [{ email_ofertas: "no" }, { push_pagos: 1 }, "[]", "{broken"]) {
    const response = await client.json("PUT", "/notifications/preferences", { token: user.token, body });
    assert.equal(response.status, 422, JSON.stringify(body));
    assert.equal(typeof response.body.detail, "string");
  }
  const { body } = await client.json("GET", "/notifications/preferences", { token: user.token });
  assert.deepEqual(body, { user_id: user.id, ...DEFAULTS });
});
