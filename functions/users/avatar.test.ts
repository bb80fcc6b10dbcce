import assert from "node:assert/strict";
import { AppError } from "../../shared/errors.ts";
import { createStorage } from "../../shared/storage.ts";
import { avatarPath, imageKind, ownAvatarPath } from "./avatar.ts";

Deno.test("imageKind accepts the five image extensions in any case, with their content types", () => {
  assert.deepEqual(imageKind("foto.JPG"), { extension: "jpg", contentType: "image/jpeg" });
  assert.deepEqual(imageKind("a.b.jpeg"), { extension: "jpeg", contentType: "image/jpeg" });
  assert.equal(imageKind("x.Png").contentType, "image/png");
  assert.equal(imageKind("x.gif").contentType, "image/gif");
  assert.equal(imageKind("x.webp").contentType, "image/webp");
});

Deno.test("imageKind refuses anything else with the original's 400 message", () => {
  for (const name of ["doc.pdf", "png", "x.png.exe", "x.", ".jpg/evil", "x.svg"]) {
    assert.throws(
      () => imageKind(name),
      (e) =>
        e instanceof AppError && e.status === 400 && e.detail.startsWith("Formato no permitido. Usa: .jpg"),
      name,
    );
  }
});

Deno.test("avatarPath is <user id>/avatar-<random>.<ext>, new on every call", () => {
  const id = crypto.randomUUID();
  const a = avatarPath(id, "png");
  assert.match(a, new RegExp(`^${id}/avatar-[0-9a-f]{16}\\.png$`));
  assert.notEqual(a, avatarPath(id, "png"));
});

Deno.test("ownAvatarPath recognises only this user's avatars in our bucket", () => {
  const storage = createStorage({ url: "https://ref.supabase.co", serviceRoleKey: "k" });
  const id = crypto.randomUUID();
  const mine = storage.publicUrl("avatars", `${id}/avatar-1.png`);
  assert.equal(ownAvatarPath(storage, id, mine), `${id}/avatar-1.png`);
  assert.equal(ownAvatarPath(storage, id, null), null);
  assert.equal(ownAvatarPath(storage, id, "http://localhost:8000/uploads/avatars/x.png"), null);
  assert.equal(
    ownAvatarPath(storage, id, storage.publicUrl("avatars", `${crypto.randomUUID()}/a.png`)),
    null,
  );
  assert.equal(ownAvatarPath(storage, id, storage.publicUrl("portfolio", `${id}/a.png`)), null);
  assert.equal(ownAvatarPath(storage, id, storage.publicUrl("avatars", `${id}/../other/a.png`)), null);
});
