// The queue room: per-address durable message queues (table `queue`), oldest first.
import type Database from "better-sqlite3";
import type { AddressKey, QueuedMessage, StoredValue } from "./store-types.js";

/** A row of `queue` (also the shape of the message columns of `delayed` and `dead_letters`). */
export interface MessageRow {
  seq: number;
  namespace: string;
  type: string;
  id: string;
  caller_namespace: string | null;
  caller_type: string | null;
  caller_id: string | null;
  typename: string;
  has_value: number;
  value: Buffer;
  enqueued_at: number;
}

/** The caller of a row, if it has one. */
export function callerOf(row: MessageRow): AddressKey | undefined {
  return row.caller_namespace !== null && row.caller_type !== null && row.caller_id !== null
    ? { namespace: row.caller_namespace, type: row.caller_type, id: row.caller_id }
    : undefined;
}

/** The argument of a row. */
export function argumentOf(row: MessageRow): StoredValue {
  return {
    typename: row.typename,
    hasValue: row.has_value === 1,
    value: new Uint8Array(row.value),
  };
}

function toQueued(row: MessageRow): QueuedMessage {
  return {
    seq: row.seq,
    target: { namespace: row.namespace, type: row.type, id: row.id },
    caller: callerOf(row),
    argument: argumentOf(row),
  };
}

/** The approximate wire size of a queued message in a ToFunction batch. */
export function messageBytes(message: QueuedMessage): number {
  return message.argument.value.byteLength + message.argument.typename.length + 64;
}

type PendingOp =
  | { readonly kind: "add"; readonly message: QueuedMessage }
  | { readonly kind: "delete"; readonly key: string; readonly seq: number }
  | { readonly kind: "consume"; readonly key: string; readonly count: number }
  | { readonly kind: "collect" };

/** Consumed rows left in the table before they are deleted in bulk (at least). */
export const MIN_GARBAGE_ROWS = 4096;

function keyOf(address: AddressKey): string {
  return `${address.namespace}\u0000${address.type}\u0000${address.id}`;
}

/**
 * Queued messages per address: the table is the durable truth, and a mirror in memory serves
 * batches without a query. Writes go to the table inside the store's transactions and reach the
 * mirror only once their transaction committed ({@link commit}); a rolled-back transaction or
 * savepoint discards them ({@link rollback}).
 *
 * A consumed batch (the oldest messages of its address) is one upsert of the address's
 * watermark in `queue_consumed`, not a DELETE per message: the deletes of a batch hit rows
 * spread over the table, and rewriting their pages cost ~5 µs of CPU per message. Once the
 * consumed rows outnumber both {@link MIN_GARBAGE_ROWS} and the live ones, one statement deletes
 * them all and the watermarks are cleared ({@link collectIfDue}).
 */
export class QueueRoom {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly one: Database.Statement;
  private readonly markConsumed: Database.Statement;
  private readonly deleteConsumed: Database.Statement;
  private readonly clearWatermarks: Database.Statement;
  private readonly mirror = new Map<string, QueuedMessage[]>();
  private pending: PendingOp[] = [];
  /** Messages in the queue (committed). */
  private count = 0;
  /** Consumed rows still in the table (committed). */
  private garbage = 0;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO queue (namespace, type, id, caller_namespace, caller_type, caller_id,
         typename, has_value, value, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare("DELETE FROM queue WHERE seq = ?");
    this.one = db.prepare("SELECT * FROM queue WHERE seq = ?");
    this.markConsumed = db.prepare(
      `INSERT INTO queue_consumed (namespace, type, id, upto) VALUES (?, ?, ?, ?)
       ON CONFLICT (namespace, type, id) DO UPDATE SET upto = excluded.upto`,
    );
    this.deleteConsumed = db.prepare(
      `DELETE FROM queue WHERE EXISTS (SELECT 1 FROM queue_consumed c WHERE
         c.namespace = queue.namespace AND c.type = queue.type AND c.id = queue.id
         AND queue.seq <= c.upto)`,
    );
    this.clearWatermarks = db.prepare("DELETE FROM queue_consumed");
    const watermarks = new Map<string, number>();
    for (const row of db.prepare("SELECT * FROM queue_consumed").iterate() as Iterable<
      AddressKey & { upto: number }
    >) {
      watermarks.set(keyOf(row), row.upto);
    }
    for (const row of db
      .prepare("SELECT * FROM queue ORDER BY seq")
      .iterate() as Iterable<MessageRow>) {
      const message = toQueued(row);
      if (message.seq <= (watermarks.get(keyOf(message.target)) ?? 0)) this.garbage += 1;
      else this.mirrorAdd(message);
    }
  }

  private mirrorAdd(message: QueuedMessage): void {
    const key = keyOf(message.target);
    const list = this.mirror.get(key);
    if (list) list.push(message);
    else this.mirror.set(key, [message]);
    this.count += 1;
  }

  /** A position in the uncommitted writes, to roll back to. */
  mark(): number {
    return this.pending.length;
  }

  /** Forgets the uncommitted writes after `mark` (their transaction or savepoint rolled back). */
  rollback(mark = 0): void {
    this.pending.length = Math.min(mark, this.pending.length);
  }

  /** Applies the committed writes to the mirror. */
  commit(): void {
    const ops = this.pending;
    this.pending = [];
    const deleted = new Map<string, Set<number>>();
    for (const op of ops) {
      if (op.kind === "add") {
        this.mirrorAdd(op.message);
        continue;
      }
      if (op.kind === "consume") {
        // The oldest `count` messages: adds of the same transaction went to the other end.
        const list = this.mirror.get(op.key) ?? [];
        list.splice(0, op.count);
        if (list.length === 0) this.mirror.delete(op.key);
        this.count -= op.count;
        this.garbage += op.count;
        continue;
      }
      if (op.kind === "collect") {
        this.garbage = 0;
        continue;
      }
      let seqs = deleted.get(op.key);
      if (!seqs) {
        seqs = new Set();
        deleted.set(op.key, seqs);
      }
      seqs.add(op.seq);
    }
    for (const [key, seqs] of deleted) {
      const list = this.mirror.get(key);
      if (!list) continue;
      const kept = list.filter((m) => !seqs.has(m.seq));
      this.count -= list.length - kept.length;
      if (kept.length === 0) this.mirror.delete(key);
      else this.mirror.set(key, kept);
    }
  }

  /** Appends a message to its target's queue; returns its sequence number. */
  add(
    target: AddressKey,
    caller: AddressKey | undefined,
    argument: StoredValue,
    enqueuedAt: number,
  ): number {
    const seq = Number(
      this.insert.run(
        target.namespace,
        target.type,
        target.id,
        caller?.namespace ?? null,
        caller?.type ?? null,
        caller?.id ?? null,
        argument.typename,
        argument.hasValue ? 1 : 0,
        Buffer.from(argument.value.buffer, argument.value.byteOffset, argument.value.byteLength),
        enqueuedAt,
      ).lastInsertRowid,
    );
    this.pending.push({ kind: "add", message: { seq, target, caller, argument } });
    return seq;
  }

  /** Removes a message of `address` by sequence number. */
  delete(seq: number, address: AddressKey): void {
    if (this.remove.run(seq).changes > 0) {
      this.pending.push({ kind: "delete", key: keyOf(address), seq });
    }
  }

  /**
   * Removes the consumed messages of a reply. When they are the oldest messages of `address`,
   * in order (a batch always is), this only moves the address's watermark; otherwise each one
   * is deleted.
   */
  consume(address: AddressKey, seqs: readonly number[]): void {
    const last = seqs[seqs.length - 1];
    if (last === undefined) return;
    const key = keyOf(address);
    // Consumed earlier in this transaction: the head of the committed list minus those.
    let skip = 0;
    for (const op of this.pending) if (op.kind === "consume" && op.key === key) skip += op.count;
    const list = this.mirror.get(key) ?? [];
    if (seqs.every((seq, i) => list[skip + i]?.seq === seq)) {
      this.markConsumed.run(address.namespace, address.type, address.id, last);
      this.pending.push({ kind: "consume", key, count: seqs.length });
      return;
    }
    for (const seq of seqs) this.delete(seq, address);
  }

  /**
   * Deletes every consumed row in one statement, inside the caller's transaction, once they
   * outnumber both {@link MIN_GARBAGE_ROWS} and the live messages (so the work per message
   * stays bounded however long the queue is).
   */
  collectIfDue(): void {
    let garbage = this.garbage;
    for (const op of this.pending) if (op.kind === "consume") garbage += op.count;
    if (garbage < Math.max(MIN_GARBAGE_ROWS, this.count)) return;
    this.deleteConsumed.run();
    this.clearWatermarks.run();
    this.pending.push({ kind: "collect" });
  }

  /** The raw row of one queued message (dead-lettering copies it). */
  row(seq: number): MessageRow | undefined {
    return this.one.get(seq) as MessageRow | undefined;
  }

  /** The addresses that have queued messages. */
  pendingAddresses(): AddressKey[] {
    return [...this.mirror.values()]
      .map((list) => list[0]?.target)
      .filter((a): a is AddressKey => a !== undefined);
  }

  /** The number of queued messages, overall or for one address. */
  length(address?: AddressKey): number {
    if (!address) return this.count;
    return this.mirror.get(keyOf(address))?.length ?? 0;
  }

  /**
   * The oldest queued messages of an address: at most `limit` (<= 0: no limit) and at most
   * `maxBytes` in total, but always at least one.
   */
  takeBatch(
    address: AddressKey,
    limit: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ): QueuedMessage[] {
    const list = this.mirror.get(keyOf(address));
    if (!list) return [];
    const end = limit > 0 ? Math.min(limit, list.length) : list.length;
    const batch: QueuedMessage[] = [];
    let bytes = 0;
    for (let i = 0; i < end; i += 1) {
      const message = list[i] as QueuedMessage;
      bytes += messageBytes(message);
      if (batch.length > 0 && bytes > maxBytes) break;
      batch.push(message);
    }
    return batch;
  }

  /** Every queued message of every address, oldest first. */
  everything(): QueuedMessage[] {
    return [...this.mirror.values()].flat().sort((a, b) => a.seq - b.seq);
  }
}
