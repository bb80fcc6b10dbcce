import { Canvas, hsl, mix, type Rgb, shade } from "./raster.ts";

/**
 * The demo's pictures, drawn offline: an avatar with the person's initials on a colour of their
 * own, and per trade a simple illustration of finished work (a brick wall, a split on the wall, a
 * switchboard…), varied by `seed` so that two professionals of one trade do not look identical.
 *
 * @example
 * const avatar = demoAvatarPng("Lucía", "Álvarez", 7); // 128×128 PNG, "LA"
 * const photo = workScenePng("Plomería", 7, 0); // 320×240 PNG
 */
export const AVATAR_SIZE = 128;
export const SCENE_WIDTH = 320;
export const SCENE_HEIGHT = 240;

/** `Lucía`, `Álvarez` → `LA` (accents dropped: the font has plain capitals). */
export function initials(nombre: string, apellido: string): string {
  const first = (s: string) =>
    s.trim().normalize("NFD").replace(/[\u0300-\u036f]/g, "").charAt(0).toUpperCase();
  return `${first(nombre)}${first(apellido)}`;
}

export function demoAvatarPng(nombre: string, apellido: string, seed: number): Uint8Array {
  // Golden-angle hues: neighbours in the list get clearly different colours.
  const color = hsl((seed * 137.508) % 360, 0.55, 0.42);
  const c = new Canvas(AVATAR_SIZE, AVATAR_SIZE, color);
  c.circle(AVATAR_SIZE / 2, AVATAR_SIZE * 1.25, AVATAR_SIZE * 0.62, shade(color, 0.85));
  const text = initials(nombre, apellido);
  const scale = 7;
  const x = Math.round((AVATAR_SIZE - Canvas.textWidth(text, scale)) / 2);
  c.text(text, x + 2, 42 + 2, scale, shade(color, 0.6));
  c.text(text, x, 42, scale, [255, 255, 255]);
  return c.png();
}

type Scene = (c: Canvas, rnd: () => number) => void;

export function workScenePng(trade: string, seed: number, variant: number): Uint8Array {
  const rnd = random(seed * 31 + variant * 7 + 1);
  const c = new Canvas(SCENE_WIDTH, SCENE_HEIGHT, [235, 232, 225]);
  (SCENES[trade] ?? toolbox)(c, rnd);
  return c.png();
}

const WHITE: Rgb = [248, 248, 246];
const FLOOR: Rgb = [176, 140, 104];

function wallAndFloor(c: Canvas, wall: Rgb, floor = FLOOR, floorAt = 190) {
  c.gradient(0, 0, c.width, floorAt, shade(wall, 1.06), shade(wall, 0.92));
  c.rect(0, floorAt, c.width, c.height - floorAt, floor);
  for (let x = -40; x < c.width; x += 46) c.line(x, c.height, x + 40, floorAt, 1, shade(floor, 0.85));
  c.rect(0, floorAt - 6, c.width, 6, shade(wall, 0.75)); // skirting board
}

const brickWall: Scene = (c, rnd) => {
  const mortar: Rgb = [205, 200, 190];
  c.rect(0, 0, c.width, c.height, mortar);
  const base: Rgb = [168 + Math.round(rnd() * 30), 74, 50];
  for (let row = 0, y = 0; y < 200; row++, y += 20) {
    for (let x = row % 2 ? -24 : 0; x < c.width; x += 48) {
      c.rect(x + 2, y + 2, 44, 16, shade(base, 0.85 + rnd() * 0.3));
    }
  }
  c.rect(0, 200, c.width, 40, [150, 150, 145]);
  c.triangle([210, 228], [270, 206], [262, 232], [120, 120, 125]); // trowel
  c.line(262, 220, 300, 212, 6, [120, 80, 40]);
};

const splitUnit: Scene = (c, rnd) => {
  wallAndFloor(c, hsl(200 + rnd() * 40, 0.25, 0.82));
  c.box(60, 40, 200, 62, WHITE, [190, 190, 190]);
  for (let i = 0; i < 5; i++) c.rect(70, 86 + i * 3, 180, 1, [200, 200, 205]);
  c.rect(232, 50, 18, 10, [40, 60, 70]);
  c.text("24", 234, 52, 1, [90, 220, 255]);
  for (let i = 0; i < 4; i++) c.line(90 + i * 45, 112, 80 + i * 48, 160, 3, [170, 215, 240]);
  c.circle(270, 128, 24, [70, 140, 70]); // a plant
  c.box(254, 146, 32, 44, hsl(20, 0.5, 0.5));
};

const switchboard: Scene = (c, rnd) => {
  wallAndFloor(c, [222, 218, 206]);
  c.box(90, 30, 140, 150, [90, 95, 100]);
  c.rect(100, 40, 120, 130, [225, 225, 222]);
  for (let row = 0; row < 3; row++) {
    for (let i = 0; i < 6; i++) {
      c.box(106 + i * 19, 50 + row * 40, 14, 30, WHITE, [150, 150, 150]);
      c.rect(110 + i * 19, rnd() > 0.2 ? 56 + row * 40 : 66 + row * 40, 6, 8, [40, 40, 40]);
    }
  }
  const wires: Rgb[] = [[200, 40, 40], [40, 80, 200], [60, 160, 60], [30, 30, 30]];
  wires.forEach((w, i) => c.line(120 + i * 22, 30, 110 + i * 30, 0, 4, w));
};

const pipes: Scene = (c, rnd) => {
  const tile = hsl(190 + rnd() * 30, 0.3, 0.85);
  c.rect(0, 0, c.width, c.height, [200, 205, 208]);
  for (let y = 0; y < c.height; y += 30) {
    for (let x = 0; x < c.width; x += 30) c.rect(x + 1, y + 1, 28, 28, tile);
  }
  const copper: Rgb = [196, 120, 64];
  c.line(20, 70, 250, 70, 12, copper);
  c.line(250, 70, 250, 150, 12, copper);
  c.line(90, 70, 90, 130, 12, copper);
  for (const [x, y] of [[250, 70], [90, 70]]) c.circle(x, y, 10, shade(copper, 0.8));
  c.circle(170, 70, 13, [200, 40, 40]); // valve
  c.rect(164, 50, 12, 8, [200, 40, 40]);
  c.box(40, 140, 160, 50, WHITE, [180, 185, 190]); // basin
  c.rect(110, 126, 14, 16, [180, 185, 190]); // tap
};

const woodwork: Scene = (c, rnd) => {
  wallAndFloor(c, [214, 206, 190]);
  const wood = hsl(28 + rnd() * 10, 0.45, 0.45);
  c.box(60, 20, 200, 170, wood);
  c.rect(158, 22, 4, 166, shade(wood, 0.7));
  for (let i = 0; i < 14; i++) {
    const x = 68 + rnd() * 180;
    c.line(x, 26, x + (rnd() - 0.5) * 10, 184, 1, shade(wood, 0.85));
  }
  c.rect(145, 90, 6, 30, [210, 190, 120]);
  c.rect(169, 90, 6, 30, [210, 190, 120]);
};

const paintedRoom: Scene = (c, rnd) => {
  const fresh = hsl(rnd() * 360, 0.45, 0.6);
  wallAndFloor(c, [210, 205, 196]);
  c.rect(0, 0, 200, 184, fresh);
  for (let i = 0; i < 6; i++) c.rect(196 + i, 20 + rnd() * 140, 2, 14, fresh); // the edge of the last stroke
  c.box(220, 60, 50, 26, shade(fresh, 0.9), [90, 90, 90]); // roller
  c.line(245, 86, 245, 150, 5, [80, 80, 80]);
  c.box(210, 196, 80, 22, [150, 150, 155]); // tray
  c.rect(218, 200, 40, 14, fresh);
};

const garden: Scene = (c, rnd) => {
  c.gradient(0, 0, c.width, 130, [120, 180, 235], [200, 228, 245]);
  c.rect(0, 130, c.width, 110, [92, 160, 70]);
  for (let x = 0; x < c.width; x += 40) c.rect(x, 130, 20, 110, [104, 174, 80]); // mowing stripes
  for (let i = 0; i < 3; i++) {
    const x = 50 + i * 110 + rnd() * 20;
    c.rect(x - 5, 80, 10, 60, [110, 75, 45]);
    c.circle(x, 70, 30 + rnd() * 8, [56, 120 + Math.round(rnd() * 40), 60]);
  }
  for (let i = 0; i < 18; i++) c.circle(rnd() * c.width, 180 + rnd() * 55, 3, hsl(rnd() * 360, 0.7, 0.6));
};

const cleanFloor: Scene = (c, rnd) => {
  wallAndFloor(c, [230, 232, 235], [240, 240, 240], 120);
  for (let y = 120; y < c.height; y += 30) {
    for (let x = (y / 30) % 2 ? 0 : 30; x < c.width; x += 60) c.rect(x, y, 30, 30, [205, 208, 214]);
  }
  c.box(40, 150, 60, 60, hsl(210, 0.6, 0.5)); // bucket
  c.line(70, 100, 90, 200, 5, [200, 170, 60]); // mop
  for (let i = 0; i < 6; i++) {
    const [x, y] = [140 + rnd() * 160, 140 + rnd() * 90];
    c.line(x - 7, y, x + 7, y, 2, WHITE);
    c.line(x, y - 7, x, y + 7, 2, WHITE);
  }
};

const doorLock: Scene = (c, rnd) => {
  wallAndFloor(c, [206, 198, 184]);
  const wood = hsl(20 + rnd() * 15, 0.4, 0.35);
  c.box(90, 10, 140, 180, wood);
  c.rect(104, 24, 112, 70, shade(wood, 0.9));
  c.rect(104, 106, 112, 70, shade(wood, 0.9));
  c.box(196, 84, 22, 50, [212, 180, 80]); // lock plate
  c.circle(207, 98, 5, [40, 30, 20]);
  c.rect(205, 98, 4, 10, [40, 30, 20]);
  c.line(196, 122, 176, 122, 5, [190, 190, 195]); // handle
};

const washingMachine: Scene = (c, rnd) => {
  wallAndFloor(c, hsl(40 + rnd() * 40, 0.2, 0.85));
  c.box(90, 40, 140, 150, WHITE, [170, 170, 175]);
  c.rect(92, 42, 136, 24, [225, 225, 228]);
  for (let i = 0; i < 3; i++) c.circle(110 + i * 18, 54, 5, [120, 120, 130]);
  c.rect(190, 48, 28, 12, [40, 60, 70]);
  c.circle(160, 124, 46, [150, 150, 158]);
  c.circle(160, 124, 38, mix([90, 160, 220], WHITE, 0.2));
  c.circle(148, 112, 8, mix([90, 160, 220], WHITE, 0.7));
  c.box(250, 150, 40, 40, [200, 60, 50]); // toolbox
};

const toolbox: Scene = (c) => {
  wallAndFloor(c, [214, 208, 198]);
  c.box(90, 110, 140, 80, [200, 60, 50]);
  c.line(130, 110, 190, 110, 8, [90, 90, 90]);
};

const SCENES: Record<string, Scene> = {
  "Albañilería": brickWall,
  "Climatización": splitUnit,
  "Electricidad": switchboard,
  "Plomería": pipes,
  "Carpintería": woodwork,
  "Pintura": paintedRoom,
  "Jardinería": garden,
  "Limpieza": cleanFloor,
  "Cerrajería": doorLock,
  "Reparación de electrodomésticos": washingMachine,
};

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same pictures on every seed run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
