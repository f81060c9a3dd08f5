// The dead-letter room: messages that can never be delivered (table `dead_letters`), with the
// reason, the attempts and the time; they can be replayed into the queue or dropped.
import type Database from "better-sqlite3";
import { argumentOf, callerOf, type MessageRow } from "./queue-room.js";
import type { DeadLetter } from "./store-types.js";

type DeadLetterRow = Omit<MessageRow, "seq"> & {
  n: number;
  reason: string;
  attempts: number;
  failed_at: number;
};

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    n: row.n,
    target: { namespace: row.namespace, type: row.type, id: row.id },
    caller: callerOf({ ...row, seq: 0 }),
    argument: argumentOf({ ...row, seq: 0 }),
    reason: row.reason,
    attempts: row.attempts,
    failedAt: row.failed_at,
    enqueuedAt: row.enqueued_at,
  };
}

/** Dead letters; callers wrap writes in the store's transactions. */
export class DeadLetterRoom {
  private readonly insert: Database.Statement;
  private readonly page: Database.Statement;
  private readonly one: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly count: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO dead_letters (namespace, type, id, caller_namespace, caller_type, caller_id,
         typename, has_value, value, enqueued_at, reason, attempts, failed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.page = db.prepare("SELECT * FROM dead_letters WHERE n >= ? ORDER BY n LIMIT ?");
    this.one = db.prepare("SELECT * FROM dead_letters WHERE n = ?");
    this.remove = db.prepare("DELETE FROM dead_letters WHERE n = ?");
    this.count = db.prepare("SELECT COUNT(*) AS n FROM dead_letters");
  }

  /** Sets a queued message aside; returns its dead-letter number. */
  add(row: MessageRow, reason: string, attempts: number, now: number): number {
    return Number(
      this.insert.run(
        row.namespace,
        row.type,
        row.id,
        row.caller_namespace,
        row.caller_type,
        row.caller_id,
        row.typename,
        row.has_value,
        row.value,
        row.enqueued_at,
        reason,
        attempts,
        now,
      ).lastInsertRowid,
    );
  }

  /** Dead letters from number `from`, oldest first, at most `limit`. */
  list(from = 0, limit = -1): DeadLetter[] {
    return (this.page.all(from, limit) as DeadLetterRow[]).map(toDeadLetter);
  }

  /** One dead letter, if it exists. */
  get(n: number): DeadLetter | undefined {
    const row = this.one.get(n) as DeadLetterRow | undefined;
    return row ? toDeadLetter(row) : undefined;
  }

  /** Removes a dead letter; whether it existed. */
  delete(n: number): boolean {
    return this.remove.run(n).changes > 0;
  }

  /** How many dead letters there are. */
  size(): number {
    return (this.count.get() as { n: number }).n;
  }
}
