// `StructuredQuery` evaluation for `:runQuery` / `:runAggregationQuery`: collection (or collection
// group) under a parent, field / composite / unary filters, orderBy with Firestore's implicit
// orders, startAt / endAt cursors, offset, limit, select. Enums arrive as numbers
// (`enum-encoding=int`); the names are accepted too.

import { compareValues, type Fields, getField, kindOf, type Value, valuesEqual } from "./firestore-values.ts";
import { RpcError, type StoredDoc } from "./firestore-writes.ts";

type FieldRef = { fieldPath: string };
type Filter = {
  fieldFilter?: { field: FieldRef; op: number | string; value: Value };
  compositeFilter?: { op: number | string; filters?: Filter[] };
  unaryFilter?: { field: FieldRef; op: number | string };
};
type Order = { field: FieldRef; direction?: number | string };
type Cursor = { values?: Value[]; before?: boolean };
export type StructuredQuery = {
  from?: { collectionId?: string; allDescendants?: boolean }[];
  where?: Filter;
  orderBy?: Order[];
  startAt?: Cursor;
  endAt?: Cursor;
  offset?: number;
  limit?: number | { value?: number };
  select?: { fields?: FieldRef[] };
};
export type QueryDoc = { name: string; doc: StoredDoc };

const FIELD_OPS = [
  "",
  "LESS_THAN",
  "LESS_THAN_OR_EQUAL",
  "GREATER_THAN",
  "GREATER_THAN_OR_EQUAL",
  "EQUAL",
  "NOT_EQUAL",
  "ARRAY_CONTAINS",
  "IN",
  "ARRAY_CONTAINS_ANY",
  "NOT_IN",
];
const UNARY_OPS = ["", "", "IS_NAN", "IS_NULL", "IS_NOT_NAN", "IS_NOT_NULL"];
const INEQUALITIES = new Set([1, 2, 3, 4, 6, 10]);

function opName(op: number | string, names: string[]): string {
  return typeof op === "number" ? names[op] ?? "" : op;
}

function fieldValue(entry: QueryDoc, path: string): Value | undefined {
  return path === "__name__" ? { referenceValue: entry.name } : getField(entry.doc.fields, path);
}

function isNaNValue(v: Value | undefined): boolean {
  return v !== undefined && "doubleValue" in v && Number.isNaN(Number(v.doubleValue));
}

function listOf(value: Value): Value[] {
  return value.arrayValue?.values ?? [];
}

function matchesField(actual: Value | undefined, op: string, value: Value): boolean {
  if (actual === undefined) return false;
  const sameKind = kindOf(actual) === kindOf(value);
  const c = compareValues(actual, value);
  switch (op) {
    case "LESS_THAN":
      return sameKind && c < 0;
    case "LESS_THAN_OR_EQUAL":
      return sameKind && c <= 0;
    case "GREATER_THAN":
      return sameKind && c > 0;
    case "GREATER_THAN_OR_EQUAL":
      return sameKind && c >= 0;
    case "EQUAL":
      return c === 0;
    case "NOT_EQUAL":
      return c !== 0 && !("nullValue" in actual);
    case "ARRAY_CONTAINS":
      return listOf(actual).some((e) => valuesEqual(e, value));
    case "IN":
      return listOf(value).some((e) => valuesEqual(actual, e));
    case "ARRAY_CONTAINS_ANY":
      return listOf(actual).some((e) => listOf(value).some((v) => valuesEqual(e, v)));
    case "NOT_IN":
      return !("nullValue" in actual) && !listOf(value).some((e) => valuesEqual(actual, e));
  }
  throw new RpcError("INVALID_ARGUMENT", 400, `Unsupported filter operator "${op}"`);
}

function matches(entry: QueryDoc, filter: Filter | undefined): boolean {
  if (!filter) return true;
  if (filter.compositeFilter) {
    const parts = filter.compositeFilter.filters ?? [];
    const or = opName(filter.compositeFilter.op, ["", "AND", "OR"]) === "OR";
    return or ? parts.some((f) => matches(entry, f)) : parts.every((f) => matches(entry, f));
  }
  if (filter.fieldFilter) {
    const { field, op, value } = filter.fieldFilter;
    return matchesField(fieldValue(entry, field.fieldPath), opName(op, FIELD_OPS), value);
  }
  if (filter.unaryFilter) {
    const actual = fieldValue(entry, filter.unaryFilter.field.fieldPath);
    if (actual === undefined) return false;
    switch (opName(filter.unaryFilter.op, UNARY_OPS)) {
      case "IS_NAN":
        return isNaNValue(actual);
      case "IS_NULL":
        return "nullValue" in actual;
      case "IS_NOT_NAN":
        return !isNaNValue(actual);
      case "IS_NOT_NULL":
        return !("nullValue" in actual);
    }
  }
  throw new RpcError("INVALID_ARGUMENT", 400, "Unsupported filter");
}

function inequalityFields(filter: Filter | undefined, out: Set<string>): Set<string> {
  if (filter?.compositeFilter) filter.compositeFilter.filters?.forEach((f) => inequalityFields(f, out));
  const ff = filter?.fieldFilter;
  if (ff) {
    const op = typeof ff.op === "number" ? ff.op : FIELD_OPS.indexOf(ff.op);
    if (INEQUALITIES.has(op)) out.add(ff.field.fieldPath);
  }
  return out;
}

/** Explicit orders, then inequality fields, then `__name__`, as Firestore normalises a query. */
function effectiveOrders(query: StructuredQuery): { path: string; desc: boolean }[] {
  const orders = (query.orderBy ?? []).map((o) => ({
    path: o.field.fieldPath,
    desc: o.direction === 2 || o.direction === "DESCENDING",
  }));
  const lastDesc = orders.at(-1)?.desc ?? false;
  for (const path of [...inequalityFields(query.where, new Set())].sort()) {
    if (!orders.some((o) => o.path === path)) orders.push({ path, desc: lastDesc });
  }
  if (!orders.some((o) => o.path === "__name__")) orders.push({ path: "__name__", desc: lastDesc });
  return orders;
}

function inCollection(name: string, parent: string, from: StructuredQuery["from"]): boolean {
  if (!name.startsWith(`${parent}/`)) return false;
  const rest = name.slice(parent.length + 1).split("/");
  return (from ?? []).some((f) =>
    f.allDescendants
      ? rest.length >= 2 && rest.length % 2 === 0 && rest[rest.length - 2] === f.collectionId
      : rest.length === 2 && rest[0] === f.collectionId
  );
}

function project(doc: StoredDoc, select: StructuredQuery["select"]): StoredDoc {
  if (!select) return doc;
  const fields: Fields = {};
  for (const { fieldPath } of select.fields ?? []) {
    if (fieldPath !== "__name__" && fieldPath in doc.fields) fields[fieldPath] = doc.fields[fieldPath];
  }
  return { ...doc, fields };
}

export function evaluateQuery(all: Iterable<QueryDoc>, parent: string, query: StructuredQuery): QueryDoc[] {
  const orders = effectiveOrders(query);
  const key = (e: QueryDoc) => orders.map((o) => fieldValue(e, o.path));
  const compareKeys = (a: (Value | undefined)[], b: Value[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareValues(a[i]!, b[i]) * (orders[i].desc ? -1 : 1);
      if (c !== 0) return c;
    }
    return 0;
  };
  let rows = [...all].filter((e) =>
    inCollection(e.name, parent, query.from) && matches(e, query.where) &&
    key(e).every((v) => v !== undefined)
  );
  rows.sort((a, b) => compareKeys(key(a), key(b) as Value[]));
  const { startAt, endAt } = query;
  if (startAt?.values?.length) {
    rows = rows.filter((e) => {
      const c = compareKeys(key(e), startAt.values!);
      return startAt.before ? c >= 0 : c > 0;
    });
  }
  if (endAt?.values?.length) {
    rows = rows.filter((e) => {
      const c = compareKeys(key(e), endAt.values!);
      return endAt.before ? c < 0 : c <= 0;
    });
  }
  const limit = typeof query.limit === "object" ? query.limit.value : query.limit;
  rows = rows.slice(query.offset ?? 0, limit === undefined ? undefined : (query.offset ?? 0) + limit);
  return rows.map((e) => ({ name: e.name, doc: project(e.doc, query.select) }));
}
