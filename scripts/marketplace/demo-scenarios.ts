import type { JobAction } from "../../functions/chat-offers/job-transitions.ts";

/**
 * What happens between the demo clients (index into DEMO_CLIENTS) and the first demo
 * professionals (index into demoEmail): an offer left in a state, or an accepted offer whose job
 * is paid or not and then taken through `transitionJob` actions, reviewed when approved. At most
 * one review per professional (see demo-marketplace.ts).
 */
export type Scenario =
  | { client: number; pro: number; offer: "OFERTADO" | "RECHAZADO" | "EXPIRADO" | "RETIRADO" }
  | { client: number; pro: number; job: JobAction[]; paid: boolean; rating?: number; texto?: string };

export const SCENARIOS: { descripcion: string; precio: number; s: Scenario }[] = [
  {
    descripcion: "Revisión de la instalación eléctrica del living",
    precio: 18000,
    s: { client: 0, pro: 0, offer: "OFERTADO" },
  },
  {
    descripcion: "Cambio de cerradura de la puerta principal",
    precio: 25000,
    s: { client: 1, pro: 1, offer: "RECHAZADO" },
  },
  {
    descripcion: "Pintura de dos ambientes con enduido",
    precio: 150000,
    s: { client: 2, pro: 2, offer: "EXPIRADO" },
  },
  {
    descripcion: "Reparación de una pérdida en el baño",
    precio: 22000,
    s: { client: 0, pro: 3, offer: "RETIRADO" },
  },
  {
    descripcion: "Instalación de un aire acondicionado split",
    precio: 60000,
    s: { client: 1, pro: 0, job: [], paid: false },
  },
  {
    descripcion: "Colocación de estantes en el dormitorio",
    precio: 35000,
    s: { client: 2, pro: 1, job: [], paid: true },
  },
  {
    descripcion: "Arreglo del portón del garage",
    precio: 45000,
    s: { client: 0, pro: 2, job: ["iniciar"], paid: true },
  },
  {
    descripcion: "Limpieza profunda de fin de obra",
    precio: 40000,
    s: { client: 1, pro: 3, job: ["iniciar", "completar"], paid: true },
  },
  {
    descripcion: "Poda y mantenimiento del jardín",
    precio: 30000,
    s: {
      client: 2,
      pro: 0,
      job: ["iniciar", "completar", "aprobar"],
      paid: true,
      rating: 5,
      texto: "Impecable, muy prolijo y puntual.",
    },
  },
  {
    descripcion: "Cambio de termotanque",
    precio: 80000,
    s: {
      client: 0,
      pro: 1,
      job: ["iniciar", "completar", "aprobar"],
      paid: true,
      rating: 4,
      texto: "Buen trabajo, llegó un poco tarde.",
    },
  },
  {
    descripcion: "Reparación de humedad en la pared del patio",
    precio: 55000,
    s: {
      client: 1,
      pro: 4,
      job: ["iniciar", "completar", "aprobar"],
      paid: true,
      rating: 5,
      texto: "Excelente, lo recomiendo.",
    },
  },
  {
    descripcion: "Instalación de tomas y luces en la cocina",
    precio: 28000,
    s: { client: 2, pro: 5, job: ["iniciar", "completar", "aprobar"], paid: true, rating: 3 },
  },
  {
    descripcion: "Armado de un placard a medida",
    precio: 120000,
    s: {
      client: 0,
      pro: 6,
      job: ["iniciar", "completar", "aprobar"],
      paid: true,
      rating: 5,
      texto: "Quedó hermoso.",
    },
  },
  {
    descripcion: "Reparación del lavarropas",
    precio: 20000,
    s: {
      client: 1,
      pro: 7,
      job: ["iniciar", "completar", "aprobar"],
      paid: true,
      rating: 4,
      texto: "Resolvió rápido.",
    },
  },
  {
    descripcion: "Destapación de cañerías",
    precio: 15000,
    s: { client: 2, pro: 3, job: ["cancelar"], paid: false },
  },
];
