import assert from "node:assert/strict";
import { AppError } from "./errors.ts";
import { looksLikeMarkup, refuseUnsafeUpload } from "./upload-content.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, order: "le" | "be"): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out.set(order === "le" ? [code & 0xff, code >> 8] : [code >> 8, code & 0xff], 2 + i * 2);
  }
  return out;
}

Deno.test("markup at the start is recognised: any case, after a BOM, whitespace or NULs", () => {
  for (
    const text of [
      "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
      "<SVG>",
      "<html><body>x",
      "<!DOCTYPE html>",
      "<!doctype HTML>",
      "<?xml version='1.0'?><svg/>",
      "<script>alert(1)</script>",
      "\uFEFF<html>",
      "  \r\n\t <ScRiPt src=x>",
      "\u0000\u0000<svg>",
      "<!-- comentario --><svg/>",
      "<iframe src=x>",
      "<p>hola</p>",
      "<a href=x>",
      "<body onload=x>",
    ]
  ) {
    assert.equal(looksLikeMarkup(utf8(text)), true, JSON.stringify(text));
  }
  assert.equal(looksLikeMarkup(utf16("<html><script>", "le")), true, "UTF-16 LE");
  assert.equal(looksLikeMarkup(utf16("<svg onload=x>", "be")), true, "UTF-16 BE");
});

Deno.test("placeholder bytes, real image headers, PDFs and plain text are not markup", () => {
  for (
    const text of [
      "placeholder bytes",
      "fake jpeg bytes",
      "%PDF-1.4\n%âãÏÓ",
      "GIF89a",
      "DNI: 12.345.678",
      "<br",
      "<abc>",
      "<bold claim> that is not a tag",
      "x<script>",
    ]
  ) {
    assert.equal(looksLikeMarkup(utf8(text)), false, JSON.stringify(text));
  }
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  assert.equal(looksLikeMarkup(png), false);
  assert.equal(looksLikeMarkup(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x3c, 0x73])), false, "JPEG");
  assert.equal(looksLikeMarkup(new Uint8Array()), false);
});

Deno.test("refuseUnsafeUpload: 400 with a Spanish detail for empty files and markup; fine otherwise", async () => {
  const refused = async (file: File) => {
    try {
      await refuseUnsafeUpload(file);
    } catch (error) {
      assert.ok(error instanceof AppError);
      return { status: error.status, detail: error.detail };
    }
    return null;
  };
  assert.deepEqual(await refused(new File([], "foto.jpg")), {
    status: 400,
    detail: 'El archivo "foto.jpg" está vacío',
  });
  const svg = await refused(new File([utf8("\uFEFF <svg onload=alert(1)>")], "foto.png"));
  assert.equal(svg?.status, 400);
  assert.match(svg?.detail ?? "", /^El archivo "foto\.png" parece una página web o un script/);
  assert.equal(await refused(new File([utf8("placeholder bytes")], "foto.png")), null);
  // Only the start is read: markup far into a large file is some image's own data.
  const big = new Uint8Array(2 * 1024 * 1024);
  big.set(utf8("<script>"), 1024 * 1024);
  assert.equal(await refused(new File([big], "grande.png")), null);
});
