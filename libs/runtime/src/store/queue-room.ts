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

/** Queued messages per address; callers wrap writes in the store's transactions. */
export class QueueRoom {
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly batch: Database.Statement;
  private readonly pending: Database.Statement;
  private readonly countAll: Database.Statement;
  private readonly countOne: Database.Statement;
  private readonly all: Database.Statement;
  private readonly one: Database.Statement;
  /** Messages in the queue, kept in step with every insert and delete (for the ingress bound). */
  private count: number;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO queue (namespace, type, id, caller_namespace, caller_type, caller_id,
         typename, has_value, value, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.remove = db.prepare("DELETE FROM queue WHERE seq = ?");
    this.batch = db.prepare(
      "SELECT * FROM queue WHERE namespace = ? AND type = ? AND id = ? ORDER BY seq LIMIT ?",
    );
    this.pending = db.prepare(
      "SELECT DISTINCT namespace, type, id FROM queue ORDER BY namespace, type, id",
    );
    this.countAll = db.prepare("SELECT COUNT(*) AS n FROM queue");
    this.countOne = db.prepare(
      "SELECT COUNT(*) AS n FROM queue WHERE namespace = ? AND type = ? AND id = ?",
    );
    this.all = db.prepare("SELECT * FROM queue ORDER BY seq");
    this.one = db.prepare("SELECT * FROM queue WHERE seq = ?");
    this.count = (this.countAll.get() as { n: number }).n;
  }

  /** Re-reads the message count (after a rolled-back transaction). */
  recount(): void {
    this.count = (this.countAll.get() as { n: number }).n;
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
    this.count += 1;
    return seq;
  }

  /** Removes a message by sequence number. */
  delete(seq: number): void {
    this.count -= this.remove.run(seq).changes;
  }

  /** The raw row of one queued message (dead-lettering copies it). */
  row(seq: number): MessageRow | undefined {
    return this.one.get(seq) as MessageRow | undefined;
  }

  /** The addresses that have queued messages. */
  pendingAddresses(): AddressKey[] {
    return this.pending.all() as AddressKey[];
  }

  /** The number of queued messages, overall (cached) or for one address. */
  length(address?: AddressKey): number {
    if (!address) return this.count;
    return (this.countOne.get(address.namespace, address.type, address.id) as { n: number }).n;
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
    const rows = this.batch.all(
      address.namespace,
      address.type,
      address.id,
      limit > 0 ? limit : -1,
    ) as MessageRow[];
    const batch: QueuedMessage[] = [];
    let bytes = 0;
    for (const row of rows) {
      const message = toQueued(row);
      bytes += messageBytes(message);
      if (batch.length > 0 && bytes > maxBytes) break;
      batch.push(message);
    }
    return batch;
  }

  /** Every queued message of every address, oldest first. */
  everything(): QueuedMessage[] {
    return (this.all.all() as MessageRow[]).map(toQueued);
  }
}
