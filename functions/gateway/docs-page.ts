/**
 * `/docs`: a self-contained API reference rendered from `/openapi.json` in the browser. It loads
 * nothing from a CDN, so it also works on a machine without internet.
 */
export const DOCS_PAGE = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ConectarProfesionales API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2933;background:#f7f9fb}
header{background:#123;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}input{width:100%;padding:8px;font-size:15px;margin:8px 0 16px;box-sizing:border-box}
h2{border-bottom:1px solid #d9e2ec;padding-bottom:4px;margin-top:32px}
details{background:#fff;border:1px solid #d9e2ec;border-radius:6px;margin:6px 0}
summary{cursor:pointer;padding:8px 12px;font-family:ui-monospace,monospace}
.m{display:inline-block;width:64px;font-weight:700;text-transform:uppercase}
.get{color:#2f80ed}.post{color:#27ae60}.put{color:#f2994a}.patch{color:#9b51e0}.delete{color:#eb5757}
.body{padding:4px 16px 12px}pre{background:#f0f4f8;padding:8px;overflow:auto;font-size:13px}
.lock{color:#888;font-size:13px}table{border-collapse:collapse}td,th{border:1px solid #d9e2ec;padding:2px 8px;font-size:13px}
</style></head><body>
<header><h1>ConectarProfesionales API</h1><div id="info"></div></header>
<main><input id="q" placeholder="Filtrar por ruta o descripción…" autofocus><div id="ops">Cargando /openapi.json…</div></main>
<script>
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"}[c]));
// Named schemas are $refs into components: inline them so each route shows its whole shape.
const deref = (doc, s, depth = 0) => {
  if (!s || typeof s !== "object" || depth > 8) return s;
  if (Array.isArray(s)) return s.map((x) => deref(doc, x, depth + 1));
  if (typeof s.$ref === "string") return deref(doc, doc.components.schemas[s.$ref.split("/").pop()], depth + 1);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, deref(doc, v, depth + 1)]));
};
const show = (doc, schema) => "<pre>" + esc(JSON.stringify(deref(doc, schema), null, 2)) + "</pre>";
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  document.getElementById("info").textContent = "v" + doc.info.version + " — " + (doc.info.description || "");
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const tag = (op.tags || ["general"])[0]; (byTag[tag] ||= []).push({ path, method, op });
  }
  const render = (filter) => Object.keys(byTag).sort().map((tag) => {
    const items = byTag[tag].filter(({ path, op }) => !filter || (path + " " + op.summary).toLowerCase().includes(filter));
    if (!items.length) return "";
    return "<h2>" + esc(tag) + "</h2>" + items.map(({ path, method, op }) => {
      const params = (op.parameters || []).map((p) => "<tr><td>" + esc(p.name) + "</td><td>" + esc(p.in) + "</td><td>" + (p.required ? "sí" : "no") + "</td><td><code>" + esc(JSON.stringify(deref(doc, p.schema))) + "</code></td></tr>").join("");
      const body = op.requestBody ? Object.entries(op.requestBody.content).map(([t, c]) => "<p>Cuerpo (" + esc(t) + ")</p>" + show(doc, c.schema)).join("") : "";
      const responses = Object.entries(op.responses || {}).map(([s, r]) => "<li><b>" + esc(s) + "</b> " + esc(r.description) + Object.entries(r.content || {}).map(([t, c]) => " <i>" + esc(t) + "</i>" + show(doc, c.schema)).join("") + "</li>").join("");
      return "<details><summary><span class='m " + method + "'>" + method + "</span>" + esc(path) + " — " + esc(op.summary) + (op.security ? " <span class='lock'>requiere token" + (op["x-roles"] && op["x-roles"].length < 3 ? " (" + esc(op["x-roles"].join(", ")) + ")" : "") + "</span>" : "") + "</summary><div class='body'>" +
        (op.description ? "<p>" + esc(op.description) + "</p>" : "") + (params ? "<table><tr><th>parámetro</th><th>en</th><th>requerido</th><th>schema</th></tr>" + params + "</table>" : "") + body + "<ul>" + responses + "</ul></div></details>";
    }).join("");
  }).join("");
  const ops = document.getElementById("ops");
  const input = document.getElementById("q");
  // A few matches are opened, so a link like /docs?q=/users/me shows that route's schemas at once.
  const apply = (filter) => {
    ops.innerHTML = render(filter);
    const found = ops.querySelectorAll("details");
    if (filter && found.length <= 3) found.forEach((d) => d.open = true);
  };
  input.value = new URLSearchParams(location.search).get("q") || "";
  apply(input.value.toLowerCase());
  input.addEventListener("input", (e) => apply(e.target.value.toLowerCase()));
}).catch((e) => document.getElementById("ops").textContent = "No se pudo cargar /openapi.json: " + e);
</script></body></html>`;
