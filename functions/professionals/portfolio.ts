import { z } from "zod";
import type { Tx } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { Storage } from "../../shared/storage.ts";
import type { CheckedFile } from "./uploads.ts";
import { entityId, timestamp } from "./wire.ts";

/**
 * Portfolio items and their images. Items are public content (anyone may read them); changes are
 * the owner's only, and another professional's item answers 404 as if it did not exist.
 */
export type PortfolioImage = { id: string; imagen_url: string; orden: number };
type ItemRow = {
  id: string;
  profesional_id: string;
  titulo: string;
  descripcion: string | null;
  fecha_creacion: Date;
  fecha_actualizacion: Date;
  imagenes: PortfolioImage[];
};

export const ITEM_NOT_FOUND = "Item de portfolio no encontrado o no pertenece al profesional";

const portfolioImageSchema = z.object({
  id: entityId,
  imagen_url: z.string().describe("Absolute URL that serves the image"),
  orden: z.int(),
}).meta({ id: "PortfolioImageRead" });

/** PortfolioItemRead + `imagenes_urls` (the frontend's cards read the first one). */
export const portfolioItemSchema = z.object({
  id: entityId,
  profesional_id: entityId.describe("Profile id"),
  titulo: z.string(),
  descripcion: z.string().nullable(),
  fecha_creacion: timestamp,
  fecha_actualizacion: timestamp,
  imagenes: z.array(portfolioImageSchema).describe("By orden"),
  imagenes_urls: z.array(z.string()).describe("The images' URLs, by orden"),
}).meta({ id: "PortfolioItemRead" });

export type ItemRead = z.infer<typeof portfolioItemSchema>;

export function itemRead(row: ItemRow): ItemRead {
  return {
    id: row.id,
    profesional_id: row.profesional_id,
    titulo: row.titulo,
    descripcion: row.descripcion,
    fecha_creacion: row.fecha_creacion.toISOString(),
    fecha_actualizacion: row.fecha_actualizacion.toISOString(),
    imagenes: row.imagenes,
    imagenes_urls: row.imagenes.map((i) => i.imagen_url),
  };
}

/** Items of a professional, newest first, images by `orden`; `itemId` narrows to one. */
export async function itemsOf(tx: Tx, profileId: string, itemId?: string): Promise<ItemRead[]> {
  const rows = await tx<ItemRow[]>`
    select i.id, i.profesional_id, i.titulo, i.descripcion, i.fecha_creacion, i.fecha_actualizacion,
      coalesce((
        select json_agg(json_build_object('id', m.id, 'imagen_url', m.imagen_url, 'orden', m.orden) order by m.orden)
        from public.portfolio_imagenes m where m.portfolio_item_id = i.id
      ), '[]'::json) as imagenes
    from public.portfolio_items i
    where i.profesional_id = ${profileId} ${itemId ? tx`and i.id = ${itemId}` : tx``}
    order by i.fecha_creacion desc, i.id`;
  return rows.map(itemRead);
}

export async function ownItem(tx: Tx, profileId: string, itemId: string): Promise<ItemRead> {
  const [item] = await itemsOf(tx, profileId, itemId);
  if (!item) throw new AppError("not_found", ITEM_NOT_FOUND);
  return item;
}

export async function createItem(
  tx: Tx,
  profileId: string,
  input: { titulo: string; descripcion?: string | null },
): Promise<ItemRead> {
  const [row] = await tx<{ id: string }[]>`
    insert into public.portfolio_items (profesional_id, titulo, descripcion)
    values (${profileId}, ${input.titulo.trim()}, ${input.descripcion?.trim() || null}) returning id`;
  return await ownItem(tx, profileId, row.id);
}

export async function updateItem(
  tx: Tx,
  profileId: string,
  itemId: string,
  changes: { titulo?: string; descripcion?: string | null },
): Promise<ItemRead> {
  const values: Record<string, unknown> = { fecha_actualizacion: new Date() };
  if (changes.titulo !== undefined) values.titulo = changes.titulo.trim();
  if (changes.descripcion !== undefined) values.descripcion = changes.descripcion?.trim() || null;
  const [row] = await tx`update public.portfolio_items set ${tx(values)}
    where id = ${itemId} and profesional_id = ${profileId} returning id`;
  if (!row) throw new AppError("not_found", ITEM_NOT_FOUND);
  return await ownItem(tx, profileId, itemId);
}

/** Deletes the item (images cascade) and answers the storage paths to remove after commit. */
export async function deleteItem(tx: Tx, profileId: string, itemId: string): Promise<string[]> {
  const images = await tx<{ storage_path: string | null }[]>`
    select m.storage_path from public.portfolio_imagenes m
    join public.portfolio_items i on i.id = m.portfolio_item_id
    where i.id = ${itemId} and i.profesional_id = ${profileId}`;
  const [row] = await tx`delete from public.portfolio_items
    where id = ${itemId} and profesional_id = ${profileId} returning id`;
  if (!row) throw new AppError("not_found", ITEM_NOT_FOUND);
  return images.map((i) => i.storage_path).filter((p): p is string => !!p);
}

/**
 * Adds an image: the item is locked, `orden` = current max + 1 (first 0), at most 10 per item
 * (the table's trigger enforces it too), then the file is stored. A storage failure rolls the
 * row back; a commit failure after the upload leaves an unreferenced object, nothing worse.
 */
export async function addImage(
  tx: Tx,
  storage: Storage,
  target: { profileId: string; itemId: string; file: CheckedFile },
): Promise<ItemRead> {
  const { profileId, itemId, file } = target;
  // Lock first, then count in a new statement: its snapshot sees a concurrent upload that committed.
  const [item] = await tx`select id from public.portfolio_items
    where id = ${itemId} and profesional_id = ${profileId} for update`;
  if (!item) throw new AppError("not_found", ITEM_NOT_FOUND);
  const [images] = await tx<{ count: number; next: number }[]>`
    select count(*)::int as count, coalesce(max(orden) + 1, 0)::int as next
    from public.portfolio_imagenes where portfolio_item_id = ${itemId}`;
  if (images.count >= 10) {
    throw new AppError("bad_request", "Un item de portfolio admite como máximo 10 imágenes");
  }
  const path = `${profileId}/${itemId}_${images.next}${file.extension}`;
  const url = storage.publicUrl("portfolio", path);
  await tx`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, storage_path, orden)
           values (${itemId}, ${url}, ${path}, ${images.next})`;
  await storage.upload("portfolio", path, new Uint8Array(await file.file.arrayBuffer()), {
    contentType: file.contentType,
    upsert: true,
  });
  return await ownItem(tx, profileId, itemId);
}

/** Deletes one image of an own item; answers its storage path (removed after commit). */
export async function deleteImage(tx: Tx, profileId: string, itemId: string, imageId: string) {
  const [item] =
    await tx`select 1 from public.portfolio_items where id = ${itemId} and profesional_id = ${profileId}`;
  if (!item) throw new AppError("not_found", ITEM_NOT_FOUND);
  const [image] = await tx<{ storage_path: string | null }[]>`
    delete from public.portfolio_imagenes where id = ${imageId} and portfolio_item_id = ${itemId}
    returning storage_path`;
  if (!image) throw new AppError("not_found", "Imagen no encontrada en este item de portfolio");
  return image.storage_path;
}
