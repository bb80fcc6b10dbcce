import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { checkFile, checkKycFiles, extensionOf, IMAGE_TYPES, safeFileName } from "./uploads.ts";

const file = (name: string, size = 3) => new File([new Uint8Array(size)], name);

Deno.test("images are accepted by extension, case-insensitive, stored with the extension's type", async () => {
  assert.equal(extensionOf("Foto.JPG"), ".jpg");
  assert.equal(extensionOf("sin-extension"), "");
  assert.deepEqual((await checkFile(file("a.WebP"), IMAGE_TYPES, 10)).contentType, "image/webp");
});

Deno.test("a refused image: 400 for a missing, disallowed, empty or markup file, 413 over the size", async () => {
  const status = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      return (e as AppError).status;
    }
    return 200;
  };
  assert.equal(await status(() => checkFile(undefined, IMAGE_TYPES, 10)), 400);
  assert.equal(await status(() => checkFile(file("a.jpg", 0), IMAGE_TYPES, 10)), 400);
  assert.equal(await status(() => checkFile(file("a.pdf"), IMAGE_TYPES, 10)), 400);
  assert.equal(await status(() => checkFile(file("a.png", 11), IMAGE_TYPES, 10)), 413);
  const svg = new File([new TextEncoder().encode("<svg onload=alert(1)>")], "a.png");
  assert.equal(await status(() => checkFile(svg, IMAGE_TYPES, 100)), 400);
  assert.equal(await status(() => checkKycFiles([])), 422);
  assert.equal(
    await status(() => checkKycFiles(Array.from({ length: 11 }, (_, i) => file(`${i}.txt`)))),
    400,
  );
  const html = new File([new TextEncoder().encode("<!DOCTYPE html><p>x")], "dni.pdf");
  assert.equal(await status(() => checkKycFiles([file("ok.txt"), html])), 400);
  assert.equal((await checkKycFiles([file("dni.PDF"), file("nota.txt")])).length, 2);
});

Deno.test("object names are made safe: no path, no accents, no odd characters", () => {
  assert.equal(safeFileName("../../etc/passwd"), "passwd");
  assert.equal(safeFileName("DNI frente (1).pdf"), "DNI_frente_1_.pdf");
  assert.equal(safeFileName("Pérez.png"), "Perez.png");
  assert.equal(safeFileName("..."), "archivo");
});
