import assert from "node:assert/strict";
import { createFcmSender } from "../../shared/push.ts";
import { startFcmStandIn } from "../fakes/fcm.ts";
import { it } from "../support/env.ts";

const fcm = await startFcmStandIn();
const config = {
  FCM_BASE_URL: fcm.url,
  GOOGLE_OAUTH_TOKEN_URL: `${fcm.url}/token`,
  FCM_SERVICE_ACCOUNT: fcm.serviceAccount as {
    project_id: string;
    client_email: string;
    private_key: string;
  },
};
async function standIn(token?: string) {
  const response = await fetch(`${fcm.url}/stand-in/messages${token ? `?token=${token}` : ""}`);
  return await response.json() as {
    messages: { message: Record<string, unknown> }[];
    oauth_exchanges: number;
  };
}

it("push sends an FCM v1 message per device and reuses the OAuth access token until it expires", async () => {
  const push = createFcmSender(config);
  const before = (await standIn()).oauth_exchanges;
  const tokens = [`t-${crypto.randomUUID()}`, `t-${crypto.randomUUID()}`, `t-${crypto.randomUUID()}`];
  for (const token of tokens) {
    const outcome = await push.send(token, { title: "Hola", body: "Mundo", data: { tipo: "PRUEBA" } });
    assert.equal(outcome.status, "sent");
  }
  assert.equal((await standIn()).oauth_exchanges - before, 1);
  const [{ message }] = (await standIn(tokens[0])).messages;
  assert.deepEqual(message.notification, { title: "Hola", body: "Mundo" });
  assert.deepEqual(message.data, { tipo: "PRUEBA" });
});

it("a token FCM reports as UNREGISTERED comes back as invalid_token", async () => {
  const push = createFcmSender(config);
  const token = `gone-${crypto.randomUUID()}`;
  await fetch(`${fcm.url}/stand-in/unregistered`, { method: "POST", body: JSON.stringify({ token }) }).then((
    r,
  ) => r.body?.cancel());
  assert.deepEqual(await push.send(token, { title: "x", body: "y" }), {
    status: "invalid_token",
    code: "UNREGISTERED",
  });
});

it("a service account FCM does not trust cannot send: a retryable error, nothing delivered", async () => {
  const other = await startFcmStandIn();
  const push = createFcmSender({
    ...config,
    FCM_SERVICE_ACCOUNT: other.serviceAccount as typeof config.FCM_SERVICE_ACCOUNT,
  });
  const token = `t-${crypto.randomUUID()}`;
  const outcome = await push.send(token, { title: "x", body: "y" });
  assert.equal(outcome.status, "error");
  assert.equal((await standIn(token)).messages.length, 0);
  await other.stop();
});

it("without a service account push is disabled", () => {
  assert.equal(createFcmSender({ ...config, FCM_SERVICE_ACCOUNT: undefined }).enabled, false);
});

it("FCM unreachable is a retryable error, not a crash", async () => {
  const push = createFcmSender({ ...config, FCM_BASE_URL: "http://127.0.0.1:9" });
  const outcome = await push.send("t", { title: "x", body: "y" });
  assert.equal(outcome.status, "error");
  assert.equal(outcome.status === "error" && outcome.retryable, true);
});
