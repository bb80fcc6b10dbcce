import type { AuthUser } from "../../shared/auth-user.ts";
import type { Db } from "../../shared/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { Storage } from "../../shared/storage.ts";
import { checkImage } from "./image-upload.ts";
import {
  type Estado,
  type JobAction,
  locateJob,
  type Transitioned,
  transitionJob,
} from "./job-transitions.ts";
import { forTheOtherParty } from "./chat-messages.ts";
import { requireChatter } from "./chat-rooms.ts";
import { TEXT_MAX, type TimelineItem } from "./marketplace-schemas.ts";
import { toTimelineItem } from "./marketplace-views.ts";

/**
 * What the job routes do beyond reading: the frontend's `PUT {estado, notas…, imagenes}` (a
 * transition plus the caller's own notes), comments and photos on the timeline. Every path is a
 * thin wrapper over `transitionJob`; this module only maps requests onto its actions.
 */
const BY_TARGET: Partial<Record<Estado, JobAction>> = {
  EN_PROCESO: "iniciar",
  COMPLETADO: "completar",
  APROBADO: "aprobar",
  CANCELADO: "cancelar",
};
const MAX_IMAGES = 50;

export type JobUpdate = {
  estado: Estado;
  notas_profesional?: string | null;
  notas_cliente?: string | null;
  imagenes?: string[] | null;
};

export function updateJob(db: Db, user: AuthUser, jobId: string, input: JobUpdate): Promise<Transitioned> {
  return db.asService(async (tx) => {
    const job = await locateJob(tx, jobId, user);
    const action = BY_TARGET[input.estado];
    if (!action) {
      throw new AppError("bad_request", `No se puede pasar un trabajo de ${job.estado} a ${input.estado}`);
    }
    const done = await transitionJob(tx, { jobId, action, actor: user });
    // Each party writes only its own notes; the other field is ignored.
    const isPro = user.id === job.profesional_id;
    const notes = isPro ? input.notas_profesional : input.notas_cliente;
    const [{ imagenes }] = await tx<{ imagenes: string[] }[]>`
      select imagenes from public.trabajos where id = ${jobId}`;
    const merged = [...new Set([...imagenes, ...(input.imagenes ?? [])])];
    if (merged.length > MAX_IMAGES) {
      throw new AppError("bad_request", `Un trabajo admite hasta ${MAX_IMAGES} imágenes`);
    }
    if (notes != null || merged.length !== imagenes.length) {
      await tx`update public.trabajos set
          notas_profesional = ${isPro && notes != null ? tx`${notes}` : tx`notas_profesional`},
          notas_cliente = ${!isPro && notes != null ? tx`${notes}` : tx`notas_cliente`},
          imagenes = ${merged}::text[]
        where id = ${jobId}`;
    }
    return done;
  });
}

export function runJobAction(
  db: Db,
  user: AuthUser,
  jobId: string,
  action: JobAction,
  motivo?: string | null,
): Promise<Transitioned> {
  return db.asService((tx) => transitionJob(tx, { jobId, action, actor: user, motivo }));
}

/**
 * A comment by either party, on the timeline (contact details masked until the job is paid). A
 * comment is a message to the other party: a chat ban stops it as it stops chat.
 */
export function addComment(db: Db, user: AuthUser, jobId: string, texto: string): Promise<TimelineItem> {
  return db.asService(async (tx) => {
    const job = await locateJob(tx, jobId, user);
    await requireChatter(tx, user.id);
    const shown = await forTheOtherParty(tx, job, texto, TEXT_MAX);
    const [row] = await tx<EventRow[]>`
      insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, usuario_id)
      values (${jobId}, 'COMENTARIO', ${shown}, ${user.id})
      returning ${tx.unsafe(EVENT_COLUMNS)}`;
    return toTimelineItem(row, await nameOf(tx, user.id));
  });
}

/**
 * A photo by either party (the same rules as portfolio images: jpg/jpeg/png/gif/webp by
 * extension, 5 MB, not empty, no markup), stored in the public `trabajos` bucket, appended to the
 * job's `imagenes` and recorded on the timeline.
 */
export function addImage(
  db: Db,
  storage: Storage,
  user: AuthUser,
  jobId: string,
  file: File | undefined,
): Promise<{ url: string; imagenes: string[]; evento: TimelineItem }> {
  return db.asService(async (tx) => {
    await locateJob(tx, jobId, user);
    const { file: image, extension, contentType } = await checkImage(file);
    const [{ n }] = await tx<{ n: number }[]>`
      select cardinality(imagenes)::int as n from public.trabajos where id = ${jobId} for update`;
    if (n >= MAX_IMAGES) throw new AppError("bad_request", `Un trabajo admite hasta ${MAX_IMAGES} imágenes`);
    const path = `${jobId}/${crypto.randomUUID()}${extension}`;
    await storage.upload("trabajos", path, image, { contentType });
    const url = storage.publicUrl("trabajos", path);
    const [job] = await tx<{ imagenes: string[] }[]>`
      update public.trabajos set imagenes = array_append(imagenes, ${url}), fecha_actualizacion = now()
      where id = ${jobId} returning imagenes`;
    const [row] = await tx<EventRow[]>`
      insert into public.trabajo_eventos (trabajo_id, tipo, descripcion, usuario_id, metadata)
      values (${jobId}, 'IMAGEN', 'Imagen agregada', ${user.id}, ${tx.json({ url, path })})
      returning ${tx.unsafe(EVENT_COLUMNS)}`;
    return { url, imagenes: job.imagenes, evento: toTimelineItem(row, await nameOf(tx, user.id)) };
  });
}

type EventRow = Parameters<typeof toTimelineItem>[0];
const EVENT_COLUMNS = `id, trabajo_id, tipo, descripcion, estado_anterior::text as estado_anterior,
  estado_nuevo::text as estado_nuevo, usuario_id, metadata, created_at`;

async function nameOf(tx: Parameters<Parameters<Db["asService"]>[0]>[0], userId: string) {
  const [u] = await tx<{ nombre: string; apellido: string }[]>`
    select nombre, apellido from public.usuarios where id = ${userId}`;
  const nombre = u ? `${u.nombre} ${u.apellido}`.trim() : "";
  return new Map([[userId, { nombre, avatar_url: null, rating: 0 }]]);
}
