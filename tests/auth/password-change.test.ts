import assert from "node:assert/strict";
import { testSql } from "../support/accounts.ts";
import { it } from "../support/env.ts";
import { client, loginUser, PASSWORD, registerUser } from "./support.ts";

for (const path of ["/users/me/change-password", "/auth/change-password"]) {
  it(`POST ${path} changes the password, keeps this session and ends the others`, async () => {
    const http = await client();
    const { id, email } = await registerUser(http);
    const here = await loginUser(http, email);
    const elsewhere = await loginUser(http, email);
    const res = await http.json("POST", path, {
      token: here.access_token,
      body: { current_password: PASSWORD, new_password: "Cambiada-2026!" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { message: "Contraseña actualizada exitosamente", success: true });
    assert.equal((await http.json("GET", "/auth/me", { token: here.access_token })).status, 200);
    assert.equal((await http.json("GET", "/auth/me", { token: elsewhere.access_token })).status, 401);
    const refresh = await http.json("POST", "/auth/refresh", {
      body: { refresh_token: elsewhere.refresh_token },
    });
    assert.equal(refresh.status, 401);
    assert.equal((await http.form("/auth/login", { username: email, password: PASSWORD })).status, 401);
    await loginUser(http, email, "Cambiada-2026!");
    const [event] =
      await testSql()`select payload from public.outbox where aggregate_id = ${id} and type = 'password.changed'`;
    assert.equal(event.payload.via, "change");
  });
}

it("POST /users/me/change-password: wrong current 400, same password 400, weak 422, no token 401", async () => {
  const http = await client();
  const { email } = await registerUser(http);
  const { access_token: token } = await loginUser(http, email);
  const path = "/users/me/change-password";
  const wrong = await http.json("POST", path, {
    token,
    body: { current_password: "Nope-nope-1", new_password: "Cambiada-2026!" },
  });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.detail, "La contraseña actual es incorrecta");
  const same = await http.json("POST", path, {
    token,
    body: { current_password: PASSWORD, new_password: PASSWORD },
  });
  assert.equal(same.status, 400);
  assert.equal(same.body.detail, "La nueva contraseña debe ser diferente a la actual");
  const weak = await http.json("POST", path, {
    token,
    body: { current_password: PASSWORD, new_password: "short" },
  });
  assert.equal(weak.status, 422);
  assert.equal(typeof weak.body.detail, "string");
  assert.equal(
    (await http.json("POST", path, { body: { current_password: PASSWORD, new_password: "Cambiada-2026!" } }))
      .status,
    401,
  );
  await loginUser(http, email, PASSWORD);
});
