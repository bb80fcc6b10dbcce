import type postgres from "postgres";
import { createStorage, type Storage } from "../../shared/storage.ts";
import { solidPng } from "./png.ts";

/**
 * `deno task seed --demo`: approved professionals around Buenos Aires with trades, rates, levels,
 * ratings and a portfolio, so a new user of the frontend sees real search results and profiles.
 * Idempotent: a professional whose e-mail exists is left as it is. Accounts are created through
 * their owners' SQL interfaces (no password: demo professionals are shown, not logged into).
 */
type DemoPro = {
  nombre: string;
  apellido: string;
  barrio: string;
  lat: number;
  lng: number;
  oficios: string[];
  tarifa: number;
  radio: number;
  puntos: number;
  rating: number;
  resenas: number;
  instant: boolean;
  trabajo: string;
};

const BARRIOS: [string, number, number][] = [
  ["Palermo", -34.5875, -58.4205],
  ["Caballito", -34.6186, -58.4420],
  ["Belgrano", -34.5627, -58.4563],
  ["San Telmo", -34.6212, -58.3731],
  ["Almagro", -34.6095, -58.4201],
  ["Flores", -34.6280, -58.4636],
  ["Villa Urquiza", -34.5731, -58.4864],
  ["Recoleta", -34.5875, -58.3974],
  ["Avellaneda", -34.6625, -58.3678],
  ["Vicente López", -34.5265, -58.4790],
  ["Lanús", -34.7063, -58.3918],
  ["Quilmes", -34.7206, -58.2546],
  ["San Isidro", -34.4708, -58.5286],
  ["Morón", -34.6534, -58.6198],
  ["La Plata", -34.9214, -57.9545],
];
const NOMBRES = [
  "Martín",
  "Lucía",
  "Diego",
  "Sofía",
  "Pablo",
  "Camila",
  "Jorge",
  "Valeria",
  "Facundo",
  "Carla",
];
const APELLIDOS = [
  "Gómez",
  "Fernández",
  "López",
  "Díaz",
  "Romero",
  "Sosa",
  "Álvarez",
  "Benítez",
  "Acosta",
  "Medina",
];
const TRABAJOS: Record<string, string[]> = {
  "Plomería": ["Cambio de cañerías en baño", "Instalación de termotanque"],
  "Electricidad": ["Tablero eléctrico nuevo", "Iluminación LED de living"],
  "Carpintería": ["Placard a medida", "Deck de madera"],
  "Pintura": ["Pintura de departamento 3 ambientes", "Frente de casa"],
  "Albañilería": ["Reforma de cocina", "Contrapiso y cerámicos"],
  "Jardinería": ["Parquización de patio", "Poda de árboles"],
  "Limpieza": ["Limpieza fin de obra", "Limpieza de tapizados"],
  "Cerrajería": ["Cerradura de seguridad", "Apertura de puerta"],
  "Climatización": ["Instalación de split", "Service de aire acondicionado"],
  "Reparación de electrodomésticos": ["Reparación de lavarropas", "Heladera no enfría"],
};
export const DEMO_COUNT = 40;

/** The demo professionals: deterministic, so re-running finds the same e-mails. */
export function demoProfessionals(trades: string[]): DemoPro[] {
  return Array.from({ length: DEMO_COUNT }, (_, i) => {
    const [barrio, lat, lng] = BARRIOS[i % BARRIOS.length];
    const main = trades[i % trades.length];
    const second = trades[(i * 3 + 1) % trades.length];
    return {
      nombre: NOMBRES[i % NOMBRES.length],
      apellido: APELLIDOS[(i * 7) % APELLIDOS.length],
      barrio,
      lat: lat + ((i * 37) % 11 - 5) * 0.004,
      lng: lng + ((i * 53) % 11 - 5) * 0.004,
      oficios: i % 3 === 0 && second !== main ? [main, second] : [main],
      tarifa: 6000 + ((i * 1300) % 14000),
      radio: [5, 10, 15, 20, 30][i % 5],
      puntos: [0, 350, 1200, 2500, 5400, 16000][i % 6],
      rating: [4.9, 4.6, 4.2, 3.8, 5, 4.4][i % 6],
      resenas: 3 + ((i * 11) % 60),
      instant: i % 4 === 0,
      trabajo: TRABAJOS[main]?.[i % 2] ?? `Trabajo de ${main.toLowerCase()}`,
    };
  });
}

export async function seedDemoProfessionals(
  sql: postgres.Sql,
  options: { env: Record<string, string>; log: (msg: string) => void },
): Promise<number> {
  const trades = await sql<{ id: string; nombre: string }[]>`
    select id, nombre from public.oficios where activo order by nombre`;
  const tradeId = new Map(trades.map((t) => [t.nombre, t.id]));
  const storage = options.env.SUPABASE_URL && options.env.SUPABASE_SERVICE_ROLE_KEY
    ? createStorage({ url: options.env.SUPABASE_URL, serviceRoleKey: options.env.SUPABASE_SERVICE_ROLE_KEY })
    : null;
  let created = 0;
  for (const [i, pro] of demoProfessionals(trades.map((t) => t.nombre)).entries()) {
    const email = `demo-profesional-${String(i + 1).padStart(2, "0")}@demo.conectarprofesionales.com`;
    const [exists] = await sql`select 1 from public.usuarios where email = ${email}`;
    if (exists) continue;
    await sql.begin(async (tx) => {
      const [user] =
        await tx`select * from public.create_usuario(${email}, ${pro.nombre}, ${pro.apellido}, 'PROFESIONAL')`;
      const [profile] = await tx`select * from public.create_professional_profile(${user.id})`;
      const [nivel] = await tx`select * from public.nivel_para_puntos(${pro.puntos})`;
      await tx`update public.profesionales set
          estado_verificacion = 'APROBADO', nivel = ${nivel.nivel}, tasa_comision_actual = ${nivel.tasa_comision},
          puntos_experiencia = ${pro.puntos}, rating_promedio = ${pro.rating}, total_resenas = ${pro.resenas},
          tarifa_por_hora = ${pro.tarifa}, radio_cobertura_km = ${pro.radio}, acepta_instant = ${pro.instant},
          ubicacion = extensions.st_setsrid(extensions.st_makepoint(${pro.lng}, ${pro.lat}), 4326)::extensions.geography,
          kyc_fecha_envio = now(), kyc_fecha_revision = now()
        where id = ${profile.id}`;
      for (const nombre of pro.oficios) {
        await tx`insert into public.profesional_oficios (profesional_id, oficio_id)
                 values (${profile.id}, ${tradeId.get(nombre)!}) on conflict do nothing`;
      }
      const [item] = await tx`insert into public.portfolio_items (profesional_id, titulo, descripcion)
        values (${profile.id}, ${pro.trabajo}, ${`Trabajo realizado en ${pro.barrio}.`}) returning id`;
      if (storage) await addDemoImage(tx, storage, { profileId: profile.id, itemId: item.id, seed: i });
    });
    created++;
  }
  options.log(`  demo professionals: ${created} created, ${DEMO_COUNT - created} already there`);
  return created;
}

async function addDemoImage(
  tx: postgres.TransactionSql,
  storage: Storage,
  target: { profileId: string; itemId: string; seed: number },
) {
  const path = `${target.profileId}/${target.itemId}_0.png`;
  const hue = (target.seed * 47) % 360;
  const color: [number, number, number] = [120 + (hue % 100), 90 + ((hue * 3) % 120), 60 + ((hue * 7) % 150)];
  await storage.upload("portfolio", path, solidPng(320, 240, color), {
    contentType: "image/png",
    upsert: true,
  });
  await tx`insert into public.portfolio_imagenes (portfolio_item_id, imagen_url, storage_path, orden)
           values (${target.itemId}, ${storage.publicUrl("portfolio", path)}, ${path}, 0)`;
}
