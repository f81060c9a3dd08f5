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
  | { readonly kind: "delete"; readonly key: string; readonly seq: number };

function keyOf(address: AddressKey): string {
  return `${address.namespace}\u0000${address.type}\u0000${address.id}`;
}

/**
 * Queued messages per address: the table is the durable truth, and a mirror in memory serves
 * batches without a query. Writes go to the table inside the store's transactions and reach the
 * mirror only once their transaction committed ({@link commit}); a rolled-back transaction or
 * savepoint discards them ({@link rollback}).
 */
export class QueueRoom {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly one: Database.Statement;
  private readonly mirror = new Map<string, QueuedMessage[]>();
  private pending: PendingOp[] = [];
  /** Messages in the queue (committed). */
  private count = 0;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO queue (namespace, type, id, caller_namespace, caller_type, caller_id,
         typename, has_value, value, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare("DELETE FROM queue WHERE seq = ?");
    this.one = db.prepare("SELECT * FROM queue WHERE seq = ?");
    for (const row of db
      .prepare("SELECT * FROM queue ORDER BY seq")
      .iterate() as Iterable<MessageRow>) {
      this.mirrorAdd(toQueued(row));
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
