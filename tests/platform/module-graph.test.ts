// The module graph's two rules, checked on what Deno actually resolves (`deno info --json`):
// shared modules never import each other in a cycle, and a function never reaches into another
// function's folder (shared contracts live in shared/). The one exception is the gateway's
// inline mode, whose purpose is to mount each function's app: it may import `<fn>/app.ts`, and
// `<fn>/config.ts` to parse the settings of the functions it runs.
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const FUNCTIONS = ["gateway", "auth", "users", "professionals", "chat-offers", "payments", "notifications"];

type Graph = Map<string, string[]>;

async function moduleGraph(entries: string[]): Promise<Graph> {
  const graph: Graph = new Map();
  for (const entry of entries) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.ok(output.success, `deno info ${entry}`);
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: {
        specifier: string;
        dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
      }[];
    };
    for (const module of info.modules) {
      if (!module.specifier.startsWith(root.href)) continue;
      // Type-only imports count too: they tie the modules together just the same.
      const local = (module.dependencies ?? [])
        .flatMap((d) => [d.code?.specifier, d.type?.specifier])
        .filter((s): s is string => !!s && s.startsWith(root.href));
      graph.set(relative(module.specifier), local.map(relative));
    }
  }
  return graph;
}

function relative(specifier: string): string {
  return specifier.slice(root.href.length);
}

/** Every cycle's members, found with a depth-first search over `nodes`' edges among themselves. */
function cycles(graph: Graph, inScope: (path: string) => boolean): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of (graph.get(node) ?? []).filter(inScope)) {
      if (state.get(next) === "open") found.push(stack.slice(stack.indexOf(next)).concat(next));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (inScope(node) && !state.has(node)) visit(node);
  return found;
}

const entries = FUNCTIONS.map((fn) => `functions/${fn}/index.ts`);

Deno.test("no import cycle among shared/ modules", async () => {
  const graph = await moduleGraph(entries);
  assert.ok(graph.size > 50, "the graph was read");
  assert.deepEqual(cycles(graph, (p) => p.startsWith("shared/")), []);
});

Deno.test("no function imports another function's files (the gateway: their app.ts and config.ts only)", async () => {
  const graph = await moduleGraph(entries);
  const crossings: string[] = [];
  for (const [from, deps] of graph) {
    const owner = /^functions\/([^/]+)\//.exec(from)?.[1];
    if (!owner) continue;
    for (const to of deps) {
      const target = /^functions\/([^/]+)\/(.+)$/.exec(to);
      if (!target || target[1] === owner) continue;
      const mountsApp = owner === "gateway" && (target[2] === "app.ts" || target[2] === "config.ts");
      if (!mountsApp) crossings.push(`${from} → ${to}`);
    }
  }
  assert.deepEqual(crossings, []);
});
