// Firestore REST v1 values as they travel in JSON (`integerValue` is a string, `mapValue.fields`…):
// ordering across types, equality and field paths, shared by the stand-in's writes and queries.
// Ordering follows Firestore's documented cross-type order, so `orderBy` and cursors behave alike.

export type Value = {
  nullValue?: null | "NULL_VALUE" | 0;
  booleanValue?: boolean;
  integerValue?: string | number;
  doubleValue?: number | string;
  timestampValue?: string;
  stringValue?: string;
  bytesValue?: string;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: Value[] };
  mapValue?: { fields?: Fields };
};
export type Fields = Record<string, Value>;

const TYPE_ORDER = [
  "nullValue",
  "booleanValue",
  "number",
  "timestampValue",
  "stringValue",
  "bytesValue",
  "referenceValue",
  "geoPointValue",
  "arrayValue",
  "mapValue",
] as const;

export function kindOf(value: Value): (typeof TYPE_ORDER)[number] {
  if ("integerValue" in value || "doubleValue" in value) return "number";
  for (const kind of TYPE_ORDER) if (kind in value) return kind;
  return "nullValue";
}

export function isNumber(value: Value | undefined): boolean {
  return value !== undefined && kindOf(value) === "number";
}

/** Integers stay bigint so int64 counters do not lose precision; doubles are numbers. */
export function numeric(value: Value): bigint | number {
  if ("integerValue" in value) return BigInt(value.integerValue as string);
  const d = value.doubleValue;
  return typeof d === "string" ? Number(d) : d ?? 0;
}

export function timestampNanos(text: string): bigint {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!match) return 0n;
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`) / 1000);
  return seconds * 1_000_000_000n + BigInt((match[2] ?? "").padEnd(9, "0").slice(0, 9));
}

function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === "number" && Number.isNaN(a)) return typeof b === "number" && Number.isNaN(b) ? 0 : -1;
  if (typeof b === "number" && Number.isNaN(b)) return 1;
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a), y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareReferences(a: string, b: string): number {
  const x = a.split("/"), y = b.split("/");
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = compareStrings(x[i], y[i]);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

export function compareValues(a: Value, b: Value): number {
  const ka = kindOf(a), kb = kindOf(b);
  if (ka !== kb) return TYPE_ORDER.indexOf(ka) - TYPE_ORDER.indexOf(kb);
  switch (ka) {
    case "nullValue":
      return 0;
    case "booleanValue":
      return Number(a.booleanValue) - Number(b.booleanValue);
    case "number":
      return compareNumbers(numeric(a), numeric(b));
    case "timestampValue": {
      const x = timestampNanos(a.timestampValue!), y = timestampNanos(b.timestampValue!);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "stringValue":
      return compareStrings(a.stringValue!, b.stringValue!);
    case "bytesValue":
      return compareStrings(atob(a.bytesValue!), atob(b.bytesValue!));
    case "referenceValue":
      return compareReferences(a.referenceValue!, b.referenceValue!);
    case "geoPointValue":
      return compareNumbers(a.geoPointValue?.latitude ?? 0, b.geoPointValue?.latitude ?? 0) ||
        compareNumbers(a.geoPointValue?.longitude ?? 0, b.geoPointValue?.longitude ?? 0);
    case "arrayValue": {
      const x = a.arrayValue?.values ?? [], y = b.arrayValue?.values ?? [];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case "mapValue": {
      const x = a.mapValue?.fields ?? {}, y = b.mapValue?.fields ?? {};
      const kx = Object.keys(x).sort(), ky = Object.keys(y).sort();
      for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
        const c = compareStrings(kx[i], ky[i]) || compareValues(x[kx[i]], y[ky[i]]);
        if (c !== 0) return c;
      }
      return kx.length - ky.length;
    }
  }
}

export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0;
}

/** Splits `a.b`, `` `odd.key`.c `` into segments (backticks quote, backslash escapes). */
export function parseFieldPath(path: string): string[] {
  const segments: string[] = [];
  let current = "", quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i];
    if (quoted && ch === "\\") current += path[++i] ?? "";
    else if (ch === "`") quoted = !quoted;
    else if (ch === "." && !quoted) segments.push(current), current = "";
    else current += ch;
  }
  segments.push(current);
  return segments;
}

export function getField(fields: Fields, path: string): Value | undefined {
  let value: Value | undefined = { mapValue: { fields } };
  for (const segment of parseFieldPath(path)) {
    const inner: Fields | undefined = value?.mapValue?.fields;
    if (!inner || !(segment in inner)) return undefined;
    value = inner[segment];
  }
  return value;
}

/** Sets (or with `undefined` deletes) a nested field, creating intermediate maps. */
export function setField(fields: Fields, path: string, value: Value | undefined): void {
  const segments = parseFieldPath(path);
  let target = fields;
  for (const segment of segments.slice(0, -1)) {
    const next = target[segment];
    if (!next?.mapValue) {
      if (value === undefined) return;
      target[segment] = { mapValue: { fields: {} } };
    }
    const map = target[segment].mapValue!;
    map.fields ??= {};
    target = map.fields;
  }
  const last = segments[segments.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
}

/** Plain JSON for the test hooks: numbers, ISO timestamps, arrays and objects. */
export function toPlain(value: Value): unknown {
  switch (kindOf(value)) {
    case "nullValue":
      return null;
    case "booleanValue":
      return value.booleanValue;
    case "number":
      return Number(numeric(value));
    case "timestampValue":
      return value.timestampValue;
    case "stringValue":
      return value.stringValue;
    case "bytesValue":
      return value.bytesValue;
    case "referenceValue":
      return value.referenceValue;
    case "geoPointValue":
      return value.geoPointValue;
    case "arrayValue":
      return (value.arrayValue?.values ?? []).map(toPlain);
    case "mapValue":
      return fieldsToPlain(value.mapValue?.fields ?? {});
  }
}

export function fieldsToPlain(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toPlain(v)]));
}

/** Every write copies documents, so later writes in one commit never alias earlier state. */
export function cloneFields(fields: Fields | undefined): Fields {
  return structuredClone(fields ?? {});
}
