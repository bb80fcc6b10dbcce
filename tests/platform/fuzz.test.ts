// Property-based fuzzing of every route in the gateway's /openapi.json (issue 10's acceptance):
// requests generated from each route's schemas and spoiled (wrong types, NUL, huge and invalid
// strings, extreme numbers, bodies that are not JSON or not UTF-8, wrong content types), with no
// token, a bad one and a token of each role. No answer may be a 5xx. Routes added later are in the
// document, so they are fuzzed too.
//
// `deno task test` runs a small seeded sample; `deno task fuzz` runs FUZZ_RUNS (10,000) cases with
// a random seed. Replay a failure with the FUZZ_SEED and FUZZ_ROUTE it prints (and the same
// FUZZ_RUNS): each route's cases depend on the seed and the route only.
//
// Side effects land on accounts this test creates: tokens are minted for its own client,
// professional and admin; ids in paths and bodies are those of its own "victim" accounts or random,
// never the seeded admin's or another test's.
import assert from "node:assert/strict";
import fc from "fast-check";
import { createAccount, type TestAccount } from "../support/accounts.ts";
import { it, testEnv } from "../support/env.ts";
import { type FuzzRequest, requestArb, type Who } from "../support/fuzz-requests.ts";
import { api } from "../support/gateway.ts";
import { apiDocument, type ApiOperation } from "../support/openapi.ts";
import { signTestToken } from "../support/tokens.ts";

const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 300);
const SEED = Number(
  Deno.env.get("FUZZ_SEED") ?? (Deno.env.get("FUZZ_RUNS") ? Date.now() % 2 ** 31 : 20261210),
);
/** Only the operations whose `METHOD /path` contains this (to replay one route's failure). */
const ONLY = Deno.env.get("FUZZ_ROUTE");
const TIMEOUT_MS = 30_000;

type Holders = Record<"CLIENTE" | "PROFESIONAL" | "ADMIN", TestAccount>;

async function accounts() {
  const [cliente, profesional, admin, victimClient, victimPro, victimAdmin] = await Promise.all([
    createAccount("CLIENTE"),
    createAccount("PROFESIONAL"),
    createAccount("ADMIN"),
    createAccount("CLIENTE"),
    createAccount("PROFESIONAL"),
    createAccount("ADMIN"),
  ]);
  const holders: Holders = { CLIENTE: cliente, PROFESIONAL: profesional, ADMIN: admin };
  const ids = [victimClient.id, victimPro.id, victimPro.profesionalId!, victimAdmin.id];
  return { holders, ids };
}

/** A fresh token per request: a logout-all or password change in an earlier case ends older ones. */
async function tokenFor(who: Who, holders: Holders): Promise<string | null> {
  switch (who) {
    case "none":
      return null;
    case "garbage":
      return "not-a-jwt";
    case "expired": {
      // Tokens are only ever signed for existing accounts, so the bad signed one is an old one.
      const { id, rol, email } = holders.ADMIN;
      return await signTestToken({ sub: id, rol, email }, {
        issuedAt: Date.now() / 1000 - 7200,
        expiresIn: "1h ago",
      });
    }
    default: {
      const account = holders[who];
      return await signTestToken({ sub: account.id, rol: account.rol, email: account.email });
    }
  }
}

type Outcome = { status: number; excerpt: string };

async function send(request: FuzzRequest, holders: Holders): Promise<Outcome> {
  const headers = new Headers(request.headers);
  const token = await tokenFor(request.who, holders);
  if (token) headers.set("authorization", `Bearer ${token}`);
  // An address per request: the per-IP limits would otherwise answer 429 to most of the run.
  headers.set("x-forwarded-for", `10.${rand()}.${rand()}.${rand()}`);
  const response = await (await api()).fetch(request.url, {
    method: request.method,
    headers,
    body: request.body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  return { status: response.status, excerpt: text.slice(0, 300) };
}

const rand = () => Math.floor(Math.random() * 254) + 1;

function describeRequest(request: FuzzRequest): string {
  const body = request.body instanceof FormData
    ? `multipart(${[...request.body.keys()].join(",")})`
    : request.body
    ? JSON.stringify(new TextDecoder().decode(request.body.slice(0, 200)))
    : "none";
  return `${request.method} ${request.url.slice(0, 200)} as ${request.who} [${request.note}] ` +
    `headers=${JSON.stringify(request.headers)} body=${body}`;
}

it(`fuzz: no route answers 5xx (${RUNS} cases, seed ${SEED})`, async () => {
  const document = await apiDocument();
  assert.ok(
    document.operations.length > 60,
    `only ${document.operations.length} operations in /openapi.json`,
  );
  const operations = document.operations.filter((op) => !ONLY || label(op).includes(ONLY));
  assert.ok(operations.length, `no operation matches FUZZ_ROUTE=${ONLY}`);
  const resolve = document.resolve;
  const { holders, ids } = await accounts();
  const ctx = { resolve, ids, apiKey: testEnv().CHAT_WEBHOOK_API_KEY };
  const perOperation = Math.max(2, Math.ceil(RUNS / operations.length));
  const failures: string[] = [];
  let cases = 0;
  const statuses = new Map<number, number>();

  for (const op of operations) {
    // Per route, not per position: a replay still hits the same cases after routes are added.
    const seed = (SEED ^ hash(label(op))) >>> 0;
    let last = "";
    const property = fc.asyncProperty(requestArb(op, ctx), async (request) => {
      cases++;
      let outcome: Outcome;
      try {
        outcome = await send(request, holders);
      } catch (error) {
        last = `${describeRequest(request)} → ${error}`;
        return false;
      }
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      last = `${describeRequest(request)} → ${outcome.status} ${outcome.excerpt}`;
      return outcome.status < 500;
    });
    const result = await fc.check(property, { numRuns: perOperation, seed, endOnFailure: true });
    if (result.failed) failures.push(`${label(op)} (FUZZ_SEED=${SEED} FUZZ_ROUTE="${label(op)}"): ${last}`);
  }
  const tally = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(" ");
  console.log(`fuzz: ${cases} requests over ${operations.length} operations, seed ${SEED}: ${tally}`);
  assert.deepEqual(failures, [], `5xx answers — replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
});

const label = (op: ApiOperation) => `${op.method} ${op.path}`;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
