import { encodePng } from "./png.ts";

/**
 * A tiny RGB canvas for the demo pictures: rectangles, circles, thick lines, triangles and a 5×7
 * pixel font (A–Z, 0–9), encoded as PNG. Enough for flat illustrations, made offline, no library.
 *
 * @example
 * const c = new Canvas(64, 64, [40, 90, 160]);
 * c.text("AB", 7, 18, 4, [255, 255, 255]);
 * const png = c.png();
 */
export type Rgb = [number, number, number];

export class Canvas {
  readonly data: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb) {
    this.data = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  pixel(x: number, y: number, color: Rgb) {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const at = (y * this.width + x) * 3;
    this.data[at] = color[0];
    this.data[at + 1] = color[1];
    this.data[at + 2] = color[2];
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb) {
    const x0 = Math.max(0, Math.round(x)), x1 = Math.min(this.width, Math.round(x + w));
    const y0 = Math.max(0, Math.round(y)), y1 = Math.min(this.height, Math.round(y + h));
    if (x0 >= x1 || y0 >= y1) return;
    // One row byte by byte, then the other rows copied from it (fast enough for 120 pictures a seed).
    const first = (y0 * this.width + x0) * 3, rowBytes = (x1 - x0) * 3;
    for (let i = 0; i < rowBytes; i += 3) {
      this.data[first + i] = color[0];
      this.data[first + i + 1] = color[1];
      this.data[first + i + 2] = color[2];
    }
    for (let yy = y0 + 1; yy < y1; yy++) {
      this.data.copyWithin((yy * this.width + x0) * 3, first, first + rowBytes);
    }
  }

  /** A rectangle with a darker 2 px outline (most objects in the scenes). */
  box(x: number, y: number, w: number, h: number, color: Rgb, outline = shade(color, 0.6)) {
    this.rect(x, y, w, h, outline);
    this.rect(x + 2, y + 2, w - 4, h - 4, color);
  }

  circle(cx: number, cy: number, r: number, color: Rgb) {
    for (let y = Math.ceil(cy - r); y <= cy + r; y++) {
      const half = Math.sqrt(Math.max(0, r * r - (y - cy) ** 2));
      const x0 = Math.ceil(cx - half), x1 = Math.floor(cx + half);
      if (x1 >= x0) this.rect(x0, y, x1 - x0 + 1, 1, color);
    }
  }

  line(x0: number, y0: number, x1: number, y1: number, thickness: number, color: Rgb) {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0)));
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const [x, y] = [x0 + (x1 - x0) * t, y0 + (y1 - y0) * t];
      if (thickness <= 1) this.pixel(x, y, color);
      else this.circle(x, y, thickness / 2, color);
    }
  }

  /** A filled triangle (roofs, leaves, sparkles). */
  triangle(a: [number, number], b: [number, number], c: [number, number], color: Rgb) {
    const minY = Math.floor(Math.min(a[1], b[1], c[1])), maxY = Math.ceil(Math.max(a[1], b[1], c[1]));
    const minX = Math.floor(Math.min(a[0], b[0], c[0])), maxX = Math.ceil(Math.max(a[0], b[0], c[0]));
    const side = (p: [number, number], q: [number, number], x: number, y: number) =>
      (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const s1 = side(a, b, x, y), s2 = side(b, c, x, y), s3 = side(c, a, x, y);
        if ((s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0)) this.pixel(x, y, color);
      }
    }
  }

  /** Vertical gradient between two colours (skies, walls). */
  gradient(x: number, y: number, w: number, h: number, top: Rgb, bottom: Rgb) {
    for (let i = 0; i < h; i++) this.rect(x, y + i, w, 1, mix(top, bottom, i / Math.max(1, h - 1)));
  }

  /** Text in the 5×7 font, `scale` pixels per dot; unknown characters are blank. */
  text(text: string, x: number, y: number, scale: number, color: Rgb) {
    for (const [i, char] of [...text.toUpperCase()].entries()) {
      const glyph = FONT[char];
      if (!glyph) continue;
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 5; col++) {
          if (glyph[row][col] === "#") {
            this.rect(x + (i * 6 + col) * scale, y + row * scale, scale, scale, color);
          }
        }
      }
    }
  }

  /** Width in pixels of `text` at `scale` (one dot of spacing between letters). */
  static textWidth(text: string, scale: number): number {
    return (text.length * 6 - 1) * scale;
  }

  png(): Uint8Array {
    return encodePng(this.width, this.height, this.data);
  }
}

export function shade([r, g, b]: Rgb, factor: number): Rgb {
  const f = (v: number) => Math.max(0, Math.min(255, Math.round(v * factor)));
  return [f(r), f(g), f(b)];
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

/** HSL (h in degrees, s and l 0–1) → RGB: evenly spread, pleasant avatar colours. */
export function hsl(h: number, s: number, l: number): Rgb {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return [f(0), f(8), f(4)];
}

// 5×7 glyphs, one string per row ("#" = dot).
const FONT: Record<string, string[]> = Object.fromEntries(
  Object.entries({
    A: ".###.#...##...#######...##...##...#",
    B: "####.#...##...#####.#...##...#####.",
    C: ".###.#...##....#....#....#...#.###.",
    D: "####.#...##...##...##...##...#####.",
    E: "######....#....####.#....#....#####",
    F: "######....#....####.#....#....#....",
    G: ".###.#...##....#.####...##...#.####",
    H: "#...##...##...#######...##...##...#",
    I: ".###...#....#....#....#....#...###.",
    J: "..###...#....#....#....##..#..##...",
    K: "#...##..#.#.#..##...#.#..#..#.#...#",
    L: "#....#....#....#....#....#....#####",
    M: "#...###.###.#.##...##...##...##...#",
    N: "#...###..##.#.##..###...##...##...#",
    O: ".###.#...##...##...##...##...#.###.",
    P: "####.#...##...#####.#....#....#....",
    Q: ".###.#...##...##...##.#.##..#..##.#",
    R: "####.#...##...#####.#.#..#..#.#...#",
    S: ".####.....#.....###.....#....#####.",
    T: "#####..#....#....#....#....#....#..",
    U: "#...##...##...##...##...##...#.###.",
    V: "#...##...##...##...##...#.#.#...#..",
    W: "#...##...##...##.#.##.#.##.#.#.#.#.",
    X: "#...##...#.#.#...#...#.#.#...##...#",
    Y: "#...##...#.#.#...#....#....#....#..",
    Z: "#####....#...#...#...#...#....#####",
    "0": ".###.#...##..###.#.###..##...#.###.",
    "1": "..#...##....#....#....#....#...###.",
    "2": ".###.#...#....#...#...#...#...#####",
    "3": "####.....#....#.###.....#....#####.",
    "4": "...#...##..#.#.#..#.#####...#....#.",
    "5": "######....####.....#....##...#.###.",
    "6": "..##..#...#....####.#...##...#.###.",
    "7": "#####....#...#...#...#....#....#...",
    "8": ".###.#...##...#.###.#...##...#.###.",
    "9": ".###.#...##...#.####....#...#..##..",
  }).map(([char, dots]) => [char, Array.from({ length: 7 }, (_, r) => dots.slice(r * 5, r * 5 + 5))]),
);
