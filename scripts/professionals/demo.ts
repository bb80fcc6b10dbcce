/**
 * Who the demo professionals are (`deno task seed --demo`, seeded by demo-seed.ts): approved
 * professionals around Buenos Aires with unique names, trades, rates, levels and a piece of work
 * each, so a new user of the frontend sees believable search results and profiles. Ratings stay
 * 0 until real reviews exist behind them.
 */
export type DemoPro = {
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
// 20 × 20 names, paired so that no full name repeats (every first name appears twice, each time
// with another surname): a results page must not show three "Facundo Álvarez".
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
  "Nicolás",
  "Florencia",
  "Matías",
  "Julieta",
  "Gustavo",
  "Marina",
  "Hernán",
  "Agustina",
  "Ramiro",
  "Paula",
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
  "Herrera",
  "Aguirre",
  "Giménez",
  "Molina",
  "Castro",
  "Ortiz",
  "Silva",
  "Rojas",
  "Ledesma",
  "Quiroga",
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

/** The `i`-th demo professional's e-mail (0-based): stable, so re-seeding finds the same accounts. */
export function demoEmail(i: number): string {
  return `demo-profesional-${String(i + 1).padStart(2, "0")}@demo.conectarprofesionales.com`;
}

/** The demo professionals: deterministic, so re-running finds the same e-mails. */
export function demoProfessionals(trades: string[]): DemoPro[] {
  return Array.from({ length: DEMO_COUNT }, (_, i) => {
    const [barrio, lat, lng] = BARRIOS[i % BARRIOS.length];
    const main = trades[i % trades.length];
    const second = trades[(i * 3 + 1) % trades.length];
    // 7 is coprime with 20: a permutation of the surnames per round, shifted by 3 in the second.
    const round = Math.floor(i / NOMBRES.length);
    return {
      nombre: NOMBRES[i % NOMBRES.length],
      apellido: APELLIDOS[(i * 7 + round * 3) % APELLIDOS.length],
      barrio,
      lat: lat + ((i * 37) % 11 - 5) * 0.004,
      lng: lng + ((i * 53) % 11 - 5) * 0.004,
      oficios: i % 3 === 0 && second !== main ? [main, second] : [main],
      tarifa: 6000 + ((i * 1300) % 14000),
      radio: [5, 10, 15, 20, 30][i % 5],
      puntos: [0, 350, 1200, 2500, 5400, 16000][i % 6],
      // No reviews exist behind the demo yet, so no rating either (a "4.9 (21 reseñas)" with an
      // empty review list is what a newcomer would not believe).
      rating: 0,
      resenas: 0,
      instant: i % 4 === 0,
      trabajo: TRABAJOS[main]?.[i % 2] ?? `Trabajo de ${main.toLowerCase()}`,
    };
  });
}
