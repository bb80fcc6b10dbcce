// One `Write` of a `:commit` / `:batchWrite` applied to the stand-in's documents, with the
// preconditions and field transforms firebase-admin sends (create, update, merge, FieldValue.*).

import {
  cloneFields,
  compareValues,
  type Fields,
  getField,
  isNumber,
  numeric,
  setField,
  type Value,
  valuesEqual,
} from "./firestore-values.ts";

export type StoredDoc = { fields: Fields; createTime: string; updateTime: string };
export type FieldTransform = {
  fieldPath: string;
  setToServerValue?: number | string;
  increment?: Value;
  maximum?: Value;
  minimum?: Value;
  appendMissingElements?: { values?: Value[] };
  removeAllFromArray?: { values?: Value[] };
};
export type Write = {
  update?: { name: string; fields?: Fields };
  delete?: string;
  transform?: { document: string; fieldTransforms?: FieldTransform[] };
  updateMask?: { fieldPaths?: string[] };
  updateTransforms?: FieldTransform[];
  currentDocument?: { exists?: boolean; updateTime?: string };
};

/** A failure as Firestore reports it: gRPC status name + HTTP status. */
export class RpcError extends Error {
  constructor(readonly status: string, readonly httpStatus: number, message: string) {
    super(message);
  }
}

const DOCUMENT_NAME = /^projects\/[^/]+\/databases\/[^/]+\/documents\/(.+)$/;

export function documentPath(name: string): string {
  const match = DOCUMENT_NAME.exec(name);
  const segments = match?.[1].split("/") ?? [];
  if (!match || segments.length % 2 !== 0 || segments.some((s) => s === "")) {
    throw new RpcError("INVALID_ARGUMENT", 400, `Invalid document name: "${name}"`);
  }
  return match[1];
}

export function writeTarget(write: Write): string {
  const name = write.update?.name ?? write.delete ?? write.transform?.document;
  if (!name) throw new RpcError("INVALID_ARGUMENT", 400, "A write must have an operation");
  documentPath(name);
  return name;
}

function checkPrecondition(write: Write, name: string, current: StoredDoc | undefined): void {
  const pre = write.currentDocument;
  if (!pre) return;
  if (pre.exists === false && current) {
    throw new RpcError("ALREADY_EXISTS", 409, `Document already exists: ${name}`);
  }
  if (pre.exists === true && !current) throw new RpcError("NOT_FOUND", 404, `No document to update: ${name}`);
  if (pre.updateTime !== undefined && current?.updateTime !== pre.updateTime) {
    throw new RpcError("FAILED_PRECONDITION", 400, `The document ${name} has been modified`);
  }
}

function add(current: Value | undefined, operand: Value): Value {
  if (!isNumber(current)) return operand;
  const a = numeric(current!), b = numeric(operand);
  if (typeof a === "bigint" && typeof b === "bigint") return { integerValue: String(a + b) };
  return { doubleValue: Number(a) + Number(b) };
}

function applyTransform(fields: Fields, t: FieldTransform, commitTime: string): Value {
  const current = getField(fields, t.fieldPath);
  let next: Value, result: Value;
  if (t.setToServerValue !== undefined) {
    next = result = { timestampValue: commitTime };
  } else if (t.increment) {
    next = result = add(current, t.increment);
  } else if (t.maximum || t.minimum) {
    const operand = (t.maximum ?? t.minimum)!;
    const keep = isNumber(current) && compareValues(current!, operand) * (t.maximum ? 1 : -1) >= 0;
    next = result = keep ? current! : operand;
  } else if (t.appendMissingElements || t.removeAllFromArray) {
    const existing = current?.arrayValue ? [...(current.arrayValue.values ?? [])] : [];
    const values = (t.appendMissingElements ?? t.removeAllFromArray)!.values ?? [];
    const merged = t.appendMissingElements
      ? values.reduce((acc, v) => acc.some((e) => valuesEqual(e, v)) ? acc : [...acc, v], existing)
      : existing.filter((e) => !values.some((v) => valuesEqual(e, v)));
    next = { arrayValue: { values: merged } };
    result = { nullValue: null };
  } else {
    throw new RpcError("INVALID_ARGUMENT", 400, `Unsupported transform on "${t.fieldPath}"`);
  }
  setField(fields, t.fieldPath, structuredClone(next));
  return result;
}

/** Applies one write to `docs` (a draft the caller discards on error); returns the transform results. */
export function applyWrite(docs: Map<string, StoredDoc>, write: Write, commitTime: string): Value[] {
  const name = writeTarget(write);
  const current = docs.get(name);
  checkPrecondition(write, name, current);
  if (write.delete) {
    docs.delete(name);
    return [];
  }
  let fields: Fields;
  if (write.update) {
    const incoming = write.update.fields ?? {};
    if (write.updateMask) {
      fields = cloneFields(current?.fields);
      for (const path of write.updateMask.fieldPaths ?? []) {
        setField(fields, path, structuredClone(getField(incoming, path)));
      }
    } else {
      fields = cloneFields(incoming);
    }
  } else {
    fields = cloneFields(current?.fields);
  }
  const transforms = write.updateTransforms ?? write.transform?.fieldTransforms ?? [];
  const results = transforms.map((t) => applyTransform(fields, t, commitTime));
  docs.set(name, { fields, createTime: current?.createTime ?? commitTime, updateTime: commitTime });
  return results;
}
