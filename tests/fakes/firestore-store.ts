// The stand-in's database: documents keyed by full resource name, a write sequence per name, and
// transactions checked optimistically. A read-write transaction remembers the sequence of every
// document it read; its commit is refused with ABORTED when one of them changed since, which is
// what makes firebase-admin's `runTransaction` retry. Commits run synchronously (one JS turn), so
// they are serialised without a lock.

import { evaluateQuery, type QueryDoc, type StructuredQuery } from "./firestore-query.ts";
import { getField, isNumber, numeric, type Value } from "./firestore-values.ts";
import { applyWrite, RpcError, type StoredDoc, type Write, writeTarget } from "./firestore-writes.ts";

type TxOptions = { readOnly?: unknown; readWrite?: { retryTransaction?: string } };
type Tx = { readOnly: boolean; reads: Map<string, number>; touchedAt: number };
export type ReadSelector = { transaction?: string; newTransaction?: TxOptions };
export type Aggregation = {
  alias?: string;
  count?: { upTo?: number | string };
  sum?: { field: { fieldPath: string } };
  avg?: { field: { fieldPath: string } };
};

const ABORTED_MESSAGE = "Aborted due to cross-transaction contention. This occurs when multiple " +
  "transactions attempt to access the same data, requiring Firestore to abort at least one in order " +
  "to enforce serializability.";
const TX_IDLE_MS = 270_000;

export function createStore() {
  let docs = new Map<string, StoredDoc>();
  let sequence = new Map<string, number>();
  const txs = new Map<string, Tx>();
  const stats = { commits: 0, aborted: 0 };
  let seq = 0;
  let lastMicros = 0;

  /** Microsecond timestamps that never repeat, so updateTime preconditions stay meaningful. */
  function now(): string {
    lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
    const iso = new Date(Math.floor(lastMicros / 1000)).toISOString().slice(0, 19);
    return `${iso}.${String(lastMicros % 1_000_000).padStart(6, "0")}Z`;
  }

  function beginTransaction(options: TxOptions = {}): string {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    const id = btoa(String.fromCharCode(...bytes));
    for (const [key, tx] of txs) if (Date.now() - tx.touchedAt > TX_IDLE_MS) txs.delete(key);
    txs.set(id, { readOnly: options.readOnly !== undefined, reads: new Map(), touchedAt: Date.now() });
    return id;
  }

  function transaction(id: string): Tx {
    const tx = txs.get(id);
    if (!tx) {
      throw new RpcError(
        "INVALID_ARGUMENT",
        400,
        "The referenced transaction has expired or is no longer valid.",
      );
    }
    tx.touchedAt = Date.now();
    return tx;
  }

  /** Resolves the read's transaction (starting one if asked) and records what it saw. */
  function readScope(selector: ReadSelector): { id?: string; record: (name: string) => void } {
    const id = selector.newTransaction ? beginTransaction(selector.newTransaction) : selector.transaction;
    const tx = id ? transaction(id) : undefined;
    return {
      id: selector.newTransaction ? id : undefined,
      record: (name) => {
        if (tx && !tx.readOnly && !tx.reads.has(name)) tx.reads.set(name, sequence.get(name) ?? 0);
      },
    };
  }

  function batchGet(names: string[], selector: ReadSelector) {
    const scope = readScope(selector);
    const readTime = now();
    return names.map((name, i) => {
      scope.record(name);
      const doc = docs.get(name);
      const item: Record<string, unknown> = doc
        ? { found: { name, ...structuredClone(doc) } }
        : { missing: name };
      item.readTime = readTime;
      if (i === 0 && scope.id) item.transaction = scope.id;
      return item;
    });
  }

  function query(parent: string, structured: StructuredQuery, selector: ReadSelector) {
    const scope = readScope(selector);
    const rows = evaluateQuery(entries(), parent, structured);
    rows.forEach((r) => scope.record(r.name));
    return { rows: structuredClone(rows), readTime: now(), transaction: scope.id };
  }

  function aggregate(
    parent: string,
    structured: StructuredQuery,
    aggregations: Aggregation[],
    selector: ReadSelector,
  ) {
    const { rows, readTime, transaction } = query(parent, structured, selector);
    const fields: Record<string, Value> = {};
    aggregations.forEach((a, i) => {
      const alias = a.alias ?? `field_${i + 1}`;
      if (a.count) {
        const upTo = a.count.upTo === undefined ? Infinity : Number(a.count.upTo);
        fields[alias] = { integerValue: String(Math.min(rows.length, upTo)) };
        return;
      }
      const path = (a.sum ?? a.avg)!.field.fieldPath;
      const values = rows.map((r) => getField(r.doc.fields, path)).filter(isNumber) as Value[];
      const allInts = values.every((v) => "integerValue" in v);
      const total = values.reduce((s, v) => s + Number(numeric(v)), 0);
      if (a.sum) fields[alias] = allInts ? { integerValue: String(total) } : { doubleValue: total };
      else fields[alias] = values.length ? { doubleValue: total / values.length } : { nullValue: null };
    });
    return { result: { aggregateFields: fields }, readTime, transaction };
  }

  function entries(): QueryDoc[] {
    return [...docs].map(([name, doc]) => ({ name, doc }));
  }

  /** Atomic: every write applies to a draft that replaces the documents only if all succeed. */
  function commit(writes: Write[], transactionId?: string) {
    const tx = transactionId ? transaction(transactionId) : undefined;
    if (tx && transactionId) {
      txs.delete(transactionId);
      for (const [name, seen] of tx.reads) {
        if ((sequence.get(name) ?? 0) !== seen) {
          stats.aborted++;
          throw new RpcError("ABORTED", 409, ABORTED_MESSAGE);
        }
      }
    }
    const draft = new Map(docs);
    const commitTime = now();
    const writeResults = writes.map((w) => {
      const transformResults = applyWrite(draft, w, commitTime);
      return { updateTime: commitTime, ...(transformResults.length ? { transformResults } : {}) };
    });
    docs = draft;
    for (const w of writes) sequence.set(writeTarget(w), ++seq);
    stats.commits++;
    return { writeResults, commitTime };
  }

  /** `:batchWrite` (BulkWriter): each write on its own, one status per write. */
  function batchWrite(writes: Write[]) {
    const writeResults: unknown[] = [], status: unknown[] = [];
    for (const w of writes) {
      try {
        writeResults.push(commit([w]).writeResults[0]);
        status.push({ code: 0 });
      } catch (error) {
        if (!(error instanceof RpcError)) throw error;
        writeResults.push({});
        status.push({ code: GRPC_CODES[error.status] ?? 2, message: error.message });
      }
    }
    return { writeResults, status };
  }

  function rollback(id: string): void {
    transaction(id);
    txs.delete(id);
  }

  function reset(): void {
    docs = new Map();
    sequence = new Map();
    txs.clear();
    stats.commits = stats.aborted = 0;
  }

  return {
    batchGet,
    query,
    aggregate,
    commit,
    batchWrite,
    rollback,
    beginTransaction,
    reset,
    stats: () => ({ ...stats, open_transactions: txs.size }),
    documents: () => docs,
  };
}

export type FirestoreStore = ReturnType<typeof createStore>;

const GRPC_CODES: Record<string, number> = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
};
