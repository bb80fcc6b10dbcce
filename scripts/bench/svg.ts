/**
 * The report's charts as plain SVG strings — no chart library, no script, no external font — so
 * GitHub renders them as images: explicit width/height, a generic font family, every number that
 * matters written as text beside its mark.
 */
import { percentile, round } from "./measure.ts";
import type { CurveFigure, LatencyFigure, RatioFigure } from "./types.ts";

const WIDTH = 920;
const LABEL_RIGHT = 270; // labels end here (right-aligned); plots start after
const PLOT_LEFT = 285;
const PLOT_RIGHT = 640;
const VALUES_LEFT = 652;
const ROW = 30;
const TOP = 44;
const BOTTOM = 58;
const COLORS = ["#2f6db5", "#d9822b", "#3a9a5b", "#b5404a", "#7a5cb5", "#8c6d31", "#2aa3a3", "#c2569b"];
const INK = "#222";
const MUTED = "#666";
const GRID = "#ddd";

/**
 * Each series' spread as a horizontal box plot: whiskers p5–p95, box p25–p75, a bar at p50 and a
 * dot at p99, with p50 / p95 / p99 written on the right. A log axis when the series span more than
 * 30× (a 3 ms search beside a 300 ms payment), linear otherwise.
 */
export function latencyChart(figure: LatencyFigure): string {
  const rows = Object.entries(figure.series)
    .filter(([, samples]) => samples.length > 0)
    .map(([label, samples]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (p: number) => percentile(sorted, p);
      return {
        label,
        n: sorted.length,
        p5: at(0.05),
        p25: at(0.25),
        p50: at(0.5),
        p75: at(0.75),
        p95: at(0.95),
        p99: at(0.99),
      };
    });
  const height = TOP + Math.max(1, rows.length) * ROW + BOTTOM;
  const low = Math.min(...rows.map((r) => r.p5));
  const high = Math.max(...rows.map((r) => r.p99));
  const axis = rows.length ? scaleFor(low, high) : linearScale(0, 1);
  const x = (v: number) => PLOT_LEFT + axis.at(v) * (PLOT_RIGHT - PLOT_LEFT);
  const parts = [title(figure.title), ...xAxis(axis, x, TOP, TOP + rows.length * ROW, figure.unit)];
  rows.forEach((r, i) => {
    const mid = TOP + i * ROW + ROW / 2;
    const color = COLORS[i % COLORS.length];
    parts.push(
      text(LABEL_RIGHT, mid + 4, clip(r.label), { anchor: "end" }),
      line(x(r.p5), mid, x(r.p95), mid, color, 1.5),
      line(x(r.p5), mid - 5, x(r.p5), mid + 5, color, 1.5),
      line(x(r.p95), mid - 5, x(r.p95), mid + 5, color, 1.5),
      `<rect x="${f(x(r.p25))}" y="${f(mid - 8)}" width="${
        f(Math.max(1, x(r.p75) - x(r.p25)))
      }" height="16" ` +
        `fill="${color}" fill-opacity="0.25" stroke="${color}"/>`,
      line(x(r.p50), mid - 9, x(r.p50), mid + 9, color, 3),
      `<circle cx="${f(x(r.p99))}" cy="${f(mid)}" r="3" fill="${color}"/>`,
      text(
        VALUES_LEFT,
        mid + 4,
        `p50 ${num(r.p50)} · p95 ${num(r.p95)} · p99 ${num(r.p99)} ${figure.unit} (n=${r.n})`,
        { size: 11, fill: MUTED },
      ),
    );
  });
  parts.push(
    text(
      PLOT_LEFT,
      height - 10,
      `whiskers p5–p95 · box p25–p75 · bar p50 · dot p99${axis.log ? " · log scale" : ""}`,
      { size: 11, fill: MUTED },
    ),
  );
  return svg(WIDTH, height, figure.title, parts);
}

/**
 * One bar per ratio on a shared axis from 0, with its floor (dashed, the best it can be) and goal
 * (dotted green) marked on its row and the value written at the bar's end.
 */
export function ratioChart(chartTitle: string, figures: RatioFigure[]): string {
  const height = TOP + Math.max(1, figures.length) * ROW + BOTTOM;
  const top = Math.max(1, ...figures.flatMap((r) => [r.value, r.floor ?? 0, r.goal ?? 0]));
  const axis = linearScale(0, top * 1.1);
  const x = (v: number) => PLOT_LEFT + axis.at(v) * (PLOT_RIGHT - PLOT_LEFT);
  const parts = [title(chartTitle), ...xAxis(axis, x, TOP, TOP + figures.length * ROW, "")];
  figures.forEach((r, i) => {
    const mid = TOP + i * ROW + ROW / 2;
    const met = r.goal === undefined
      ? undefined
      : r.better === "lower"
      ? r.value <= r.goal
      : r.value >= r.goal;
    const color = met === undefined ? COLORS[0] : met ? COLORS[2] : COLORS[3];
    parts.push(
      text(LABEL_RIGHT, mid + 4, clip(r.title), { anchor: "end" }),
      `<rect x="${PLOT_LEFT}" y="${f(mid - 8)}" width="${
        f(Math.max(1, x(r.value) - PLOT_LEFT))
      }" height="16" ` +
        `fill="${color}" fill-opacity="0.8"/>`,
    );
    if (r.floor !== undefined) parts.push(marker(x(r.floor), mid, INK, "4 3"));
    if (r.goal !== undefined) parts.push(marker(x(r.goal), mid, COLORS[2], "2 2"));
    const unit = r.unit ? ` ${r.unit}` : "×";
    const notes = [
      r.floor !== undefined ? `floor ${num(r.floor)}` : "",
      r.goal !== undefined ? `goal ${num(r.goal)}` : "",
      `${r.better} is better`,
    ].filter(Boolean).join(", ");
    parts.push(
      text(VALUES_LEFT, mid + 4, `${num(r.value)}${unit}`, { size: 12, weight: "bold" }),
      text(VALUES_LEFT + 56, mid + 4, notes, { size: 10, fill: MUTED }),
    );
  });
  parts.push(
    text(PLOT_LEFT, height - 10, "dashed: floor (the best possible) · dotted green: goal", {
      size: 11,
      fill: MUTED,
    }),
  );
  return svg(WIDTH, height, chartTitle, parts);
}

/** y against x, one line with dots per series, axes from 0 and a legend above the plot. */
export function curveChart(figure: CurveFigure): string {
  const height = 380;
  const left = 80, right = WIDTH - 30, top = TOP + 26, bottom = height - BOTTOM;
  const points = Object.values(figure.series).flat();
  const xAxisScale = linearScale(0, Math.max(1e-9, ...points.map(([px]) => px)) * 1.05);
  const yAxisScale = linearScale(0, Math.max(1e-9, ...points.map(([, py]) => py)) * 1.1);
  const x = (v: number) => left + xAxisScale.at(v) * (right - left);
  const y = (v: number) => bottom - yAxisScale.at(v) * (bottom - top);
  const parts = [title(figure.title)];
  for (const tick of xAxisScale.ticks) {
    parts.push(
      line(x(tick), top, x(tick), bottom, GRID, 1),
      text(x(tick), bottom + 16, num(tick), { anchor: "middle", size: 11 }),
    );
  }
  for (const tick of yAxisScale.ticks) {
    parts.push(
      line(left, y(tick), right, y(tick), GRID, 1),
      text(left - 6, y(tick) + 4, num(tick), { anchor: "end", size: 11 }),
    );
  }
  parts.push(
    line(left, bottom, right, bottom, INK, 1),
    line(left, top, left, bottom, INK, 1),
    text((left + right) / 2, bottom + 36, axisLabel(figure.x), { anchor: "middle", size: 12 }),
    `<text x="16" y="${f((top + bottom) / 2)}" font-size="12" fill="${INK}" text-anchor="middle" ` +
      `transform="rotate(-90 16 ${f((top + bottom) / 2)})">${escapeXml(axisLabel(figure.y))}</text>`,
  );
  Object.entries(figure.series).forEach(([label, series], i) => {
    const color = COLORS[i % COLORS.length];
    const sorted = [...series].sort((a, b) => a[0] - b[0]);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${
        sorted.map(([px, py]) => `${f(x(px))},${f(y(py))}`).join(" ")
      }"/>`,
      ...sorted.map(([px, py]) => `<circle cx="${f(x(px))}" cy="${f(y(py))}" r="3" fill="${color}"/>`),
      `<rect x="${f(left + i * 170)}" y="${TOP}" width="12" height="12" fill="${color}"/>`,
      text(left + i * 170 + 18, TOP + 11, label, { size: 12 }),
    );
  });
  return svg(WIDTH, height, figure.title, parts);
}

/** Text safe inside an element or a double-quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Maps values onto 0…1 of the plot's width, with round tick values to label. */
export type Scale = { at(v: number): number; ticks: number[]; log: boolean };

export function linearScale(min: number, max: number): Scale {
  const step = niceStep((max - min) / 5);
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(round(t, 6));
  const span = max - min || 1;
  return { at: (v) => (v - min) / span, ticks, log: false };
}

export function logScale(min: number, max: number): Scale {
  const lo = Math.log10(min), hi = Math.log10(max);
  const ticks: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= min && t <= max) ticks.push(round(t, 6));
    }
  }
  return { at: (v) => (Math.log10(Math.max(v, min)) - lo) / (hi - lo || 1), ticks, log: true };
}

/** Linear from 0 unless the values span more than 30×, then logarithmic around them. */
function scaleFor(low: number, high: number): Scale {
  if (low > 0 && high / low > 30) return logScale(low / 1.2, high * 1.2);
  return linearScale(0, Math.max(high * 1.1, 1e-9));
}

function niceStep(raw: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const m = raw / magnitude;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * magnitude;
}

function xAxis(axis: Scale, x: (v: number) => number, top: number, bottom: number, unit: string): string[] {
  const parts = axis.ticks.flatMap((tick) => [
    line(x(tick), top, x(tick), bottom, GRID, 1),
    text(x(tick), bottom + 16, num(tick), { anchor: "middle", size: 11 }),
  ]);
  parts.push(line(PLOT_LEFT, bottom, PLOT_RIGHT, bottom, INK, 1));
  if (unit) parts.push(text(PLOT_RIGHT + 4, bottom + 16, unit, { size: 11, fill: MUTED }));
  return parts;
}

function marker(px: number, mid: number, color: string, dash: string): string {
  return `<line x1="${f(px)}" y1="${f(mid - 12)}" x2="${f(px)}" y2="${f(mid + 12)}" stroke="${color}" ` +
    `stroke-width="2" stroke-dasharray="${dash}"/>`;
}

function axisLabel(a: { label: string; unit: string }): string {
  return a.unit ? `${a.label} (${a.unit})` : a.label;
}

/** Row labels fit the 270 px label column (about 44 characters at 12 px). */
function clip(s: string, max = 44): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function title(s: string): string {
  return text(12, 24, s, { size: 15, weight: "bold" });
}

function line(x1: number, y1: number, x2: number, y2: number, color: string, width: number): string {
  return `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${
    f(y2)
  }" stroke="${color}" stroke-width="${width}"/>`;
}

function text(
  x: number,
  y: number,
  s: string,
  o: { anchor?: "start" | "middle" | "end"; size?: number; fill?: string; weight?: string } = {},
): string {
  const attrs = [
    `x="${f(x)}"`,
    `y="${f(y)}"`,
    `font-size="${o.size ?? 12}"`,
    `fill="${o.fill ?? INK}"`,
    o.anchor && o.anchor !== "start" ? `text-anchor="${o.anchor}"` : "",
    o.weight ? `font-weight="${o.weight}"` : "",
  ].filter(Boolean).join(" ");
  return `<text ${attrs}>${escapeXml(s)}</text>`;
}

function svg(width: number, height: number, label: string, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" role="img" ` +
    `aria-label="${escapeXml(label)}">`,
    `<title>${escapeXml(label)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

/** A coordinate with at most one decimal: small files, stable output. */
function f(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A figure as people read it: 3 significant digits, no exponent for everyday sizes. */
function num(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
  return String(round(n, Math.min(digits, 6)));
}
