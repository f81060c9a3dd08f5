// The delay room: delayed messages and their cancellation tokens (table `delayed`), released into
// the queue room when due.
import { formatAddress } from "@statefun-ts/sdk";
import type Database from "better-sqlite3";
import { argumentOf, type MessageRow, type QueueRoom } from "./queue-room.js";
import { type AddressKey, type DelayedOp, DuplicateTokenError } from "./store-types.js";

type DelayedRow = MessageRow & {
  sender_namespace: string;
  sender_type: string;
  sender_id: string;
};

/** Delayed messages; callers wrap writes in the store's transactions. */
export class DelayRoom {
  private readonly cancel: Database.Statement;
  private readonly existing: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly due: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly min: Database.Statement;
  private readonly count: Database.Statement;

  constructor(db: Database.Database) {
    this.cancel = db.prepare(
      `DELETE FROM delayed WHERE sender_namespace = ? AND sender_type = ? AND sender_id = ?
         AND token = ?`,
    );
    this.existing = db.prepare(
      `SELECT due_at FROM delayed WHERE sender_namespace = ? AND sender_type = ?
         AND sender_id = ? AND token = ?`,
    );
    this.insert = db.prepare(
      `INSERT INTO delayed (due_at, sender_namespace, sender_type, sender_id, token,
         namespace, type, id, typename, has_value, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.due = db.prepare("SELECT * FROM delayed WHERE due_at <= ? ORDER BY due_at, seq");
    this.remove = db.prepare("DELETE FROM delayed WHERE seq = ?");
    this.min = db.prepare("SELECT MIN(due_at) AS due FROM delayed");
    this.count = db.prepare("SELECT COUNT(*) AS n FROM delayed");
  }

  /**
   * Applies a reply's delayed messages and cancellations in order, scoped to the sender. Throws
   * {@link DuplicateTokenError} when a token is already pending for the sender.
   */
  apply(self: AddressKey, ops: readonly DelayedOp[]): void {
    for (const op of ops) {
      if (op.kind === "cancel") {
        this.cancel.run(self.namespace, self.type, self.id, op.token);
        continue;
      }
      if (op.token !== undefined) {
        const existing = this.existing.get(self.namespace, self.type, self.id, op.token) as
          | { due_at: number }
          | undefined;
        if (existing) {
          throw new DuplicateTokenError(
            `a delayed message with cancellation token "${op.token}" is already pending for sender ${formatAddress(self)} (due at ${new Date(existing.due_at).toISOString()}); tokens must be unique among a sender's pending messages`,
          );
        }
      }
      this.insert.run(
        op.dueAt,
        self.namespace,
        self.type,
        self.id,
        op.token ?? null,
        op.target.namespace,
        op.target.type,
        op.target.id,
        op.argument.typename,
        op.argument.hasValue ? 1 : 0,
        Buffer.from(
          op.argument.value.buffer,
          op.argument.value.byteOffset,
          op.argument.value.byteLength,
        ),
      );
    }
  }

  /** The due time of the earliest pending delayed message, if any. */
  nextDueAt(): number | undefined {
    return (this.min.get() as { due: number | null }).due ?? undefined;
  }

  /** The number of pending delayed messages. */
  size(): number {
    return (this.count.get() as { n: number }).n;
  }

  /** Moves every message due at `now` into its target's queue (sender as caller); returns the targets. */
  release(now: number, queue: QueueRoom): AddressKey[] {
    const targets: AddressKey[] = [];
    for (const row of this.due.all(now) as DelayedRow[]) {
      const target = { namespace: row.namespace, type: row.type, id: row.id };
      queue.add(
        target,
        { namespace: row.sender_namespace, type: row.sender_type, id: row.sender_id },
        argumentOf(row),
        now,
      );
      this.remove.run(row.seq);
      targets.push(target);
    }
    return targets;
  }
}
