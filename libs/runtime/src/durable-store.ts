import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/** A function address as the store keeps it. */
export interface AddressKey {
  readonly namespace: string;
  readonly type: string;
  readonly id: string;
}

/** A typed value as it travels between functions: typename plus bytes. */
export interface StoredValue {
  readonly typename: string;
  readonly hasValue: boolean;
  readonly value: Uint8Array;
}

/** A message waiting in the durable queue of its target address. */
export interface QueuedMessage {
  readonly seq: number;
  readonly target: AddressKey;
  readonly caller: AddressKey | undefined;
  readonly argument: StoredValue;
}

/** How a registered state expires, in the store's terms. */
export interface StateExpiry {
  readonly mode: "none" | "after-write" | "after-invoke";
  readonly ttlMs: number;
}

/** A state change of an applied reply. */
export type StateChange =
  | { readonly kind: "set"; readonly name: string; readonly value: Uint8Array }
  | { readonly kind: "delete"; readonly name: string };

/** A delayed message to schedule, or a cancellation; both scoped to the sender. */
export type DelayedOp = DelayedAdd | { readonly kind: "cancel"; readonly token: string };

/** A delayed message to schedule. */
export interface DelayedAdd {
  readonly kind: "add";
  readonly dueAt: number;
  readonly token: string | undefined;
  readonly target: AddressKey;
  readonly argument: StoredValue;
}

/** An egress record in the shape the egress server serves. */
export interface EgressRecord {
  readonly topic: string;
  readonly kind: "kafka" | "kinesis" | "generic";
  readonly egressId: string;
  readonly key: string | null;
  readonly value: Uint8Array;
  readonly typename: string;
}

/** An egress record once stored, with its offset in the topic. */
export interface StoredEgressRecord extends EgressRecord {
  readonly offset: number;
  readonly timestamp: number;
}

/** Everything one accepted reply does, applied in ONE transaction. */
export interface ReplyEffects {
  readonly self: AddressKey;
  /** The queue entries the reply answers; they are removed. */
  readonly consumedSeqs: readonly number[];
  readonly stateChanges: readonly StateChange[];
  /** Every registered state of the function type with its expiry (for TTL bookkeeping). */
  readonly registered: ReadonlyMap<string, StateExpiry>;
  readonly outgoing: ReadonlyArray<{ readonly target: AddressKey; readonly argument: StoredValue }>;
  /** Delayed messages and cancellations, in the order the function produced them. */
  readonly delayed: readonly DelayedOp[];
  readonly egress: readonly EgressRecord[];
  readonly now: number;
}

/** Thrown inside the apply transaction to roll it back; turned into a ReplyRejectedError. */
export class DuplicateTokenError extends Error {
  override name = "DuplicateTokenError";
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  caller_namespace TEXT, caller_type TEXT, caller_id TEXT,
  typename TEXT NOT NULL, has_value INTEGER NOT NULL, value BLOB NOT NULL,
  enqueued_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS queue_address ON queue(namespace, type, id, seq);
CREATE TABLE IF NOT EXISTS state (
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
  value BLOB NOT NULL, expires_at INTEGER,
  PRIMARY KEY (namespace, type, id, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS delayed (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, due_at INTEGER NOT NULL,
  sender_namespace TEXT NOT NULL, sender_type TEXT NOT NULL, sender_id TEXT NOT NULL,
  token TEXT,
  namespace TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  typename TEXT NOT NULL, has_value INTEGER NOT NULL, value BLOB NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS delayed_token
  ON delayed(sender_namespace, sender_type, sender_id, token) WHERE token IS NOT NULL;
CREATE INDEX IF NOT EXISTS delayed_due ON delayed(due_at);
CREATE TABLE IF NOT EXISTS egress (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, "offset" INTEGER NOT NULL,
  kind TEXT NOT NULL, egress_id TEXT NOT NULL, key TEXT, value BLOB NOT NULL,
  typename TEXT NOT NULL, timestamp INTEGER NOT NULL, UNIQUE (topic, "offset"));
CREATE TABLE IF NOT EXISTS egress_cursor (topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL);
`;

interface QueueRow {
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
}

interface EgressRow {
  topic: string;
  offset: number;
  kind: "kafka" | "kinesis" | "generic";
  egress_id: string;
  key: string | null;
  value: Buffer;
  typename: string;
  timestamp: number;
}

function toEgress(row: EgressRow): StoredEgressRecord {
  return {
    topic: row.topic,
    offset: row.offset,
    kind: row.kind,
    egressId: row.egress_id,
    key: row.key,
    value: new Uint8Array(row.value),
    typename: row.typename,
    timestamp: row.timestamp,
  };
}

function toQueued(row: QueueRow): QueuedMessage {
  return {
    seq: row.seq,
    target: { namespace: row.namespace, type: row.type, id: row.id },
    caller:
      row.caller_namespace !== null && row.caller_type !== null && row.caller_id !== null
        ? { namespace: row.caller_namespace, type: row.caller_type, id: row.caller_id }
        : undefined,
    argument: {
      typename: row.typename,
      hasValue: row.has_value === 1,
      value: new Uint8Array(row.value),
    },
  };
}

/**
 * The runtime's durable state in one SQLite file (WAL): per-address message queues, function
 * state, delayed messages and egress topics. Every change that must be atomic is one transaction.
 */
export class DurableStore {
  private readonly db: Database.Database;

  /** Opens (creating when needed) the store at `file`; `reset` deletes it first. */
  constructor(
    readonly file: string,
    reset = false,
  ) {
    if (file !== ":memory:") {
      if (reset) {
        for (const suffix of ["", "-wal", "-shm", "-journal"])
          rmSync(file + suffix, { force: true });
      }
      mkdirSync(dirname(file), { recursive: true });
    }
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
  }

  /** @internal The database, for read-only queries of tooling (the inspector's store reader). */
  database(): Database.Database {
    return this.db;
  }

  /** Closes the database; the store cannot be used afterwards. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Appends a message to the queue of its target; returns its sequence number. */
  enqueue(
    target: AddressKey,
    caller: AddressKey | undefined,
    argument: StoredValue,
    now: number,
  ): number {
    return Number(this.insertQueue(target, caller, argument, now));
  }

  private insertQueue(
    target: AddressKey,
    caller: AddressKey | undefined,
    argument: StoredValue,
    now: number,
  ): number | bigint {
    return this.db
      .prepare(
        `INSERT INTO queue (namespace, type, id, caller_namespace, caller_type, caller_id,
           typename, has_value, value, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        target.namespace,
        target.type,
        target.id,
        caller?.namespace ?? null,
        caller?.type ?? null,
        caller?.id ?? null,
        argument.typename,
        argument.hasValue ? 1 : 0,
        Buffer.from(argument.value),
        now,
      ).lastInsertRowid;
  }

  /** The addresses that have queued messages. */
  pendingAddresses(): AddressKey[] {
    return this.db
      .prepare("SELECT DISTINCT namespace, type, id FROM queue ORDER BY namespace, type, id")
      .all() as AddressKey[];
  }

  /** The number of queued messages, overall or for one address. */
  queueLength(address?: AddressKey): number {
    const row = address
      ? this.db
          .prepare("SELECT COUNT(*) AS n FROM queue WHERE namespace = ? AND type = ? AND id = ?")
          .get(address.namespace, address.type, address.id)
      : this.db.prepare("SELECT COUNT(*) AS n FROM queue").get();
    return (row as { n: number }).n;
  }

  /** The oldest queued messages of an address, at most `limit` (<= 0: all). */
  takeBatch(address: AddressKey, limit: number): QueuedMessage[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM queue WHERE namespace = ? AND type = ? AND id = ? ORDER BY seq LIMIT ?",
      )
      .all(address.namespace, address.type, address.id, limit > 0 ? limit : -1) as QueueRow[];
    return rows.map(toQueued);
  }

  /** Every queued message of every address, oldest first (tests and tooling). */
  queuedMessages(): QueuedMessage[] {
    return (this.db.prepare("SELECT * FROM queue ORDER BY seq").all() as QueueRow[]).map(toQueued);
  }

  /**
   * The current values of the named states of an address. Expired values (TTL) are deleted and
   * left out.
   */
  readStates(address: AddressKey, names: readonly string[], now: number): Map<string, Uint8Array> {
    const result = new Map<string, Uint8Array>();
    if (names.length === 0) return result;
    const run = this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM state WHERE namespace = ? AND type = ? AND id = ?
             AND expires_at IS NOT NULL AND expires_at <= ?`,
        )
        .run(address.namespace, address.type, address.id, now);
      const rows = this.db
        .prepare("SELECT name, value FROM state WHERE namespace = ? AND type = ? AND id = ?")
        .all(address.namespace, address.type, address.id) as Array<{ name: string; value: Buffer }>;
      for (const row of rows) {
        if (names.includes(row.name)) result.set(row.name, new Uint8Array(row.value));
      }
    });
    run();
    return result;
  }

  /**
   * Applies an accepted reply in ONE transaction: state changes and TTL bookkeeping, outgoing
   * messages, delayed messages and cancellations, egress records, and removal of the consumed
   * batch. Throws {@link DuplicateTokenError} (nothing applied) when a token is already pending.
   * Returns the stored egress records.
   */
  applyReply(effects: ReplyEffects): StoredEgressRecord[] {
    const { self, now } = effects;
    const stored: StoredEgressRecord[] = [];
    const run = this.db.transaction(() => {
      const expiresAt = (expiry: StateExpiry | undefined): number | null =>
        expiry && expiry.mode !== "none" ? now + expiry.ttlMs : null;
      const changed = new Set<string>();
      for (const change of effects.stateChanges) {
        changed.add(change.name);
        if (change.kind === "set") {
          this.db
            .prepare(
              `INSERT INTO state (namespace, type, id, name, value, expires_at) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (namespace, type, id, name) DO UPDATE SET value = excluded.value,
               expires_at = excluded.expires_at`,
            )
            .run(
              self.namespace,
              self.type,
              self.id,
              change.name,
              Buffer.from(change.value),
              expiresAt(effects.registered.get(change.name)),
            );
        } else {
          this.db
            .prepare("DELETE FROM state WHERE namespace = ? AND type = ? AND id = ? AND name = ?")
            .run(self.namespace, self.type, self.id, change.name);
        }
      }
      for (const [name, expiry] of effects.registered) {
        if (expiry.mode !== "after-invoke" || changed.has(name)) continue;
        this.db
          .prepare(
            "UPDATE state SET expires_at = ? WHERE namespace = ? AND type = ? AND id = ? AND name = ?",
          )
          .run(now + expiry.ttlMs, self.namespace, self.type, self.id, name);
      }
      for (const message of effects.outgoing) {
        this.insertQueue(message.target, self, message.argument, now);
      }
      // In the order the function produced them, as StateFun applies them.
      for (const add of effects.delayed) {
        if (add.kind === "cancel") {
          this.db
            .prepare(
              `DELETE FROM delayed WHERE sender_namespace = ? AND sender_type = ? AND sender_id = ?
                 AND token = ?`,
            )
            .run(self.namespace, self.type, self.id, add.token);
          continue;
        }
        if (add.token !== undefined) {
          const existing = this.db
            .prepare(
              `SELECT due_at FROM delayed WHERE sender_namespace = ? AND sender_type = ?
                 AND sender_id = ? AND token = ?`,
            )
            .get(self.namespace, self.type, self.id, add.token) as { due_at: number } | undefined;
          if (existing) {
            throw new DuplicateTokenError(
              `a delayed message with cancellation token "${add.token}" is already pending for sender ${self.namespace}/${self.type}/${self.id} (due at ${new Date(existing.due_at).toISOString()}); tokens must be unique among a sender's pending messages`,
            );
          }
        }
        this.db
          .prepare(
            `INSERT INTO delayed (due_at, sender_namespace, sender_type, sender_id, token,
               namespace, type, id, typename, has_value, value)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            add.dueAt,
            self.namespace,
            self.type,
            self.id,
            add.token ?? null,
            add.target.namespace,
            add.target.type,
            add.target.id,
            add.argument.typename,
            add.argument.hasValue ? 1 : 0,
            Buffer.from(add.argument.value),
          );
      }
      for (const record of effects.egress) {
        const next = this.db
          .prepare('SELECT COALESCE(MAX("offset") + 1, 0) AS n FROM egress WHERE topic = ?')
          .get(record.topic) as { n: number };
        this.db
          .prepare(
            `INSERT INTO egress (topic, "offset", kind, egress_id, key, value, typename, timestamp)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.topic,
            next.n,
            record.kind,
            record.egressId,
            record.key,
            Buffer.from(record.value),
            record.typename,
            now,
          );
        stored.push({ ...record, offset: next.n, timestamp: now });
      }
      const remove = this.db.prepare("DELETE FROM queue WHERE seq = ?");
      for (const seq of effects.consumedSeqs) remove.run(seq);
    });
    run();
    return stored;
  }

  /** The due time of the earliest pending delayed message, if any. */
  nextDueAt(): number | undefined {
    const row = this.db.prepare("SELECT MIN(due_at) AS due FROM delayed").get() as {
      due: number | null;
    };
    return row.due ?? undefined;
  }

  /** The number of pending delayed messages. */
  delayedCount(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM delayed").get() as { n: number }).n;
  }

  /**
   * Moves every delayed message due at `now` into the queue of its target (with the sender as
   * caller), in one transaction. Returns the targets that got messages.
   */
  releaseDue(now: number): AddressKey[] {
    const targets: AddressKey[] = [];
    const run = this.db.transaction(() => {
      const rows = this.db
        .prepare("SELECT * FROM delayed WHERE due_at <= ? ORDER BY due_at, seq")
        .all(now) as Array<
        QueueRow & { sender_namespace: string; sender_type: string; sender_id: string }
      >;
      for (const row of rows) {
        const target = { namespace: row.namespace, type: row.type, id: row.id };
        this.insertQueue(
          target,
          { namespace: row.sender_namespace, type: row.sender_type, id: row.sender_id },
          {
            typename: row.typename,
            hasValue: row.has_value === 1,
            value: new Uint8Array(row.value),
          },
          now,
        );
        this.db.prepare("DELETE FROM delayed WHERE seq = ?").run(row.seq);
        targets.push(target);
      }
    });
    run();
    return targets;
  }

  /** Reads the next unread record of a topic and advances its cursor (consume once). */
  consumeNext(topic: string): StoredEgressRecord | undefined {
    let result: StoredEgressRecord | undefined;
    const run = this.db.transaction(() => {
      const cursor = this.db
        .prepare("SELECT next_offset FROM egress_cursor WHERE topic = ?")
        .get(topic) as { next_offset: number } | undefined;
      const row = this.db
        .prepare('SELECT * FROM egress WHERE topic = ? AND "offset" >= ? ORDER BY "offset" LIMIT 1')
        .get(topic, cursor?.next_offset ?? 0) as EgressRow | undefined;
      if (!row) return;
      this.db
        .prepare(
          `INSERT INTO egress_cursor (topic, next_offset) VALUES (?, ?)
           ON CONFLICT (topic) DO UPDATE SET next_offset = excluded.next_offset`,
        )
        .run(topic, row.offset + 1);
      result = toEgress(row);
    });
    run();
    return result;
  }

  /** Lists records of a topic from an offset, without consuming them. */
  listRecords(topic: string, from: number, limit: number): StoredEgressRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM egress WHERE topic = ? AND "offset" >= ? ORDER BY "offset" LIMIT ?')
      .all(topic, from, limit) as EgressRow[];
    return rows.map(toEgress);
  }

  /** Every egress record of every topic, in the order they were written. */
  allRecords(): StoredEgressRecord[] {
    return (this.db.prepare("SELECT * FROM egress ORDER BY seq").all() as EgressRow[]).map(
      toEgress,
    );
  }

  /** Every topic with its record count and the number of records not consumed yet. */
  topics(): Array<{ topic: string; kind: string; records: number; unread: number }> {
    return this.db
      .prepare(
        `SELECT e.topic AS topic, MIN(e.kind) AS kind, COUNT(*) AS records,
           SUM(CASE WHEN e."offset" >= COALESCE(c.next_offset, 0) THEN 1 ELSE 0 END) AS unread
         FROM egress e LEFT JOIN egress_cursor c ON c.topic = e.topic
         GROUP BY e.topic ORDER BY e.topic`,
      )
      .all() as Array<{ topic: string; kind: string; records: number; unread: number }>;
  }

  /** The stored value of one state (tests and tooling); `undefined` when absent or expired. */
  peekState(address: AddressKey, name: string, now: number): Uint8Array | undefined {
    const row = this.db
      .prepare(
        "SELECT value, expires_at FROM state WHERE namespace = ? AND type = ? AND id = ? AND name = ?",
      )
      .get(address.namespace, address.type, address.id, name) as
      | { value: Buffer; expires_at: number | null }
      | undefined;
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return new Uint8Array(row.value);
  }
}
