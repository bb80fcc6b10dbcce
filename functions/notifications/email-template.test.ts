import assert from "node:assert/strict";
import { renderEmail } from "./email-template.ts";

Deno.test("names and texts are HTML-escaped; the link appears in both parts", () => {
  const { html, text } = renderEmail({
    nombre: "<script>alert(1)</script>",
    titulo: "Título & más",
    mensaje: 'Dijo "hola"',
    action: { label: "Abrir", url: "https://app.example/r?token=a&b=1" },
  });
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;"));
  assert.ok(html.includes("Título &amp; más"));
  assert.ok(html.includes('href="https://app.example/r?token=a&amp;b=1"'));
  assert.ok(text.includes("Abrir: https://app.example/r?token=a&b=1"));
  assert.ok(text.startsWith("Hola <script>alert(1)</script>,"));
});
