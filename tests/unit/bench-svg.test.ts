// The benchmark report's SVG charts (scripts/bench/svg.ts): well-formed XML GitHub can render,
// every label written out, and marks placed to scale.
import assert from "node:assert/strict";
import { curveChart, latencyChart, ratioChart } from "../../scripts/bench/svg.ts";
import { chartsOf } from "../../scripts/bench/report.ts";

/** Checks the document is well-formed XML (balanced tags, quoted attributes, escaped text); answers its root tag. */
function assertWellFormed(xml: string): string {
  const stack: string[] = [];
  let root = "";
  const text = (s: string) => {
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(s), `unescaped & in ${JSON.stringify(s)}`);
    assert.ok(!s.includes(">") && !s.includes("<"), `stray angle bracket in ${JSON.stringify(s)}`);
  };
  let at = 0;
  for (const match of xml.matchAll(/<[^>]*>/g)) {
    text(xml.slice(at, match.index));
    at = match.index + match[0].length;
    const tag = match[0].match(/^<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>$/);
    assert.ok(tag, `malformed tag ${match[0]}`);
    const [, closing, name, attrs, selfClosing] = tag;
    const names = [...attrs.matchAll(/([\w:-]+)=/g)].map((m) => m[1]);
    assert.equal(new Set(names).size, names.length, `repeated attribute in ${match[0]}`);
    for (const value of attrs.matchAll(/="([^"]*)"/g)) text(value[1]);
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) {
      if (!stack.length) {
        assert.equal(root, "", "more than one root element");
        root = name;
      }
      stack.push(name);
    } else if (!stack.length) assert.fail(`self-closed root <${name}/>`);
  }
  assert.equal(xml.slice(at).trim(), "", "text after the root element");
  assert.deepEqual(stack, [], "unclosed elements");
  return root;
}

function assertSvgDocument(svg: string) {
  assert.equal(assertWellFormed(svg), "svg");
  const open = svg.match(/<svg [^>]*>/)![0];
  assert.match(open, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(open, / width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  assert.doesNotMatch(svg, /<script|@import|@font-face|href="http/);
}

/** The texts drawn, unescaped. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&")
  );
}

/** x of the axis tick labelled `label`. */
function tickX(svg: string, label: string): number {
  const m = svg.match(new RegExp(`<text x="([\\d.]+)"[^>]*text-anchor="middle"[^>]*>${label}</text>`));
  assert.ok(m, `no tick labelled ${label}`);
  return Number(m[1]);
}

Deno.test("latency chart: well-formed, every series labelled with its percentiles, escaped text", () => {
  const svg = latencyChart({
    kind: "latency",
    title: "Routes <p50> & friends",
    unit: "ms",
    series: {
      "GET /search?a=1&b=2": Array.from({ length: 100 }, (_, i) => 10 + i / 10),
      "POST /offers": Array.from({ length: 100 }, (_, i) => 20 + i / 10),
    },
  });
  assertSvgDocument(svg);
  const drawn = texts(svg);
  assert.ok(drawn.includes("Routes <p50> & friends"));
  assert.ok(drawn.includes("GET /search?a=1&b=2"));
  assert.ok(drawn.includes("POST /offers"));
  assert.ok(drawn.some((t) => t.startsWith("p50 15 · p95 19.5 · p99 19.9 ms (n=100)")), drawn.join("\n"));
  assert.ok(!drawn.some((t) => t.includes("log scale")));
});

Deno.test("latency chart: medians sit at their value on the linear axis", () => {
  const svg = latencyChart({
    kind: "latency",
    title: "Scale",
    unit: "ms",
    series: { a: [10, 10, 10], b: [20, 20, 20], c: [40, 40, 40] },
  });
  const medians = [...svg.matchAll(/<line x1="([\d.]+)"[^>]*stroke-width="3"\/>/g)].map((m) => Number(m[1]));
  assert.equal(medians.length, 3);
  const zero = tickX(svg, "0");
  const [a, b, c] = medians.map((x) => x - zero);
  assert.ok(Math.abs(b / a - 2) < 0.02, `b/a = ${b / a}`);
  assert.ok(Math.abs(c / a - 4) < 0.02, `c/a = ${c / a}`);
});

Deno.test("latency chart: a log axis when the series span more than 30×, and no crash on empty series", () => {
  const svg = latencyChart({
    kind: "latency",
    title: "Wide",
    unit: "ms",
    series: { fast: [1, 1.2, 1.5], slow: [300, 320, 350], none: [] },
  });
  assertSvgDocument(svg);
  const drawn = texts(svg);
  assert.ok(drawn.some((t) => t.includes("log scale")));
  assert.ok(!drawn.includes("none"), "a series without samples draws no row");
  assert.ok(tickX(svg, "10") > tickX(svg, "2"));
  assert.ok(tickX(svg, "100") - tickX(svg, "10") > 0);
  assertSvgDocument(latencyChart({ kind: "latency", title: "Empty", unit: "ms", series: {} }));
});

Deno.test("ratio chart: bars to scale from 0, floor and goal marked, values and direction written", () => {
  const svg = ratioChart("boot: ratios", [
    { kind: "ratio", title: "auth ÷ floor", value: 1, floor: 1, better: "lower" },
    { kind: "ratio", title: "payments ÷ floor", value: 2, floor: 1, goal: 1.5, better: "lower" },
    { kind: "ratio", title: "speed-up", value: 3.25, better: "higher" },
  ]);
  assertSvgDocument(svg);
  const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="16"/g)]
    .map((m) => Number(m[1]));
  assert.equal(widths.length, 3);
  assert.ok(Math.abs(widths[1] / widths[0] - 2) < 0.02, `bar widths ${widths}`);
  assert.ok(Math.abs(widths[2] / widths[0] - 3.25) < 0.02, `bar widths ${widths}`);
  const drawn = texts(svg);
  for (const label of ["boot: ratios", "auth ÷ floor", "payments ÷ floor", "speed-up", "1×", "2×", "3.25×"]) {
    assert.ok(drawn.includes(label), `missing ${label} in ${drawn}`);
  }
  assert.ok(drawn.includes("floor 1, goal 1.5, lower is better"));
  assert.ok(drawn.includes("higher is better"));
  assert.equal([...svg.matchAll(/stroke-dasharray="4 3"/g)].length, 2, "two floors");
  assert.equal([...svg.matchAll(/stroke-dasharray="2 2"/g)].length, 1, "one goal");
});

Deno.test("curve chart: one polyline per series through every point, axes labelled", () => {
  const svg = curveChart({
    kind: "curve",
    title: "Events latency under load",
    x: { label: "load", unit: "events/s" },
    y: { label: "commit → in-app p95", unit: "ms" },
    series: { p50: [[10, 5], [100, 8], [50, 6]], p95: [[10, 9], [50, 12], [100, 30]] },
  });
  assertSvgDocument(svg);
  const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].split(" "));
  assert.deepEqual(lines.map((points) => points.length), [3, 3]);
  const xs = lines[0].map((p) => Number(p.split(",")[0]));
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b), "points in x order");
  const drawn = texts(svg);
  for (
    const label of ["Events latency under load", "load (events/s)", "commit → in-app p95 (ms)", "p50", "p95"]
  ) {
    assert.ok(drawn.includes(label), `missing ${label}`);
  }
});

Deno.test("report: a chart per latency or curve figure, one for a benchmark's ratios, stable file names", () => {
  const charts = chartsOf({
    name: "flows",
    lines: [],
    figures: [
      { kind: "latency", title: "Step times, 1 in flight", unit: "ms", series: { a: [1] } },
      { kind: "latency", title: "Step times; 1 in flight", unit: "ms", series: { a: [1] } },
      { kind: "ratio", title: "x", value: 1, better: "lower" },
      { kind: "ratio", title: "y", value: 2, better: "higher" },
    ],
  });
  assert.deepEqual(charts.map((c) => c.file), [
    "flows-1-latency.svg",
    "flows-2-latency.svg",
    "flows-ratios.svg",
  ]);
  assert.deepEqual(charts.map((c) => c.title), [
    "Step times, 1 in flight",
    "Step times; 1 in flight",
    "flows: ratios",
  ]);
  for (const chart of charts) assertSvgDocument(chart.svg);
});
