// The runtime's durable state in one SQLite file, as rooms named for what they hold (store/):
// queue, state, delays, egress, dead letters, schema. This facade owns the connection and the
// transactions that span rooms (an applied reply, a released delay, a dead letter).
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { DeadLetterRoom } from "./store/dead-letter-room.js";
import { DelayRoom } from "./store/delay-room.js";
import { EgressRoom } from "./store/egress-room.js";
import { QueueRoom } from "./store/queue-room.js";
import { prepareDatabase } from "./store/schema.js";
import { StateRoom } from "./store/state-room.js";
import type {
  AddressKey,
  DeadLetter,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
  StoredValue,
  TopicSummary,
} from "./store/store-types.js";

export type * from "./store/store-types.js";
export { DuplicateTokenError } from "./store/store-types.js";

/** Options of {@link DurableStore}. */
export interface DurableStoreOptions {
  /** Delete the file first (only ever after the owner lock is taken). */
  readonly reset?: boolean;
  /** Largest size of the file in bytes (SQLite `max_page_count`); a full store answers SQLITE_FULL. */
  readonly maxBytes?: number;
  /** What a commit survives: a process crash (default) or also a power loss (fsync per commit). */
  readonly durability?: Durability;
}

/**
 * What a committed transaction survives. `process-crash`: WAL with `synchronous = NORMAL`, the
 * commit is in the OS before the call returns, so a SIGKILL loses nothing; a power loss may
 * roll back the last commits (never corrupts). `power-loss`: `synchronous = FULL`, an fsync per
 * commit (group commit shares it among the messages that arrived together).
 */
export type Durability = "process-crash" | "power-loss";

/** One message to enqueue in a group. */
export interface Enqueue {
  readonly target: AddressKey;
  readonly caller: AddressKey | undefined;
  readonly argument: StoredValue;
}

/** One piece of work of a turn's transaction: a message to enqueue, or a reply to apply. */
export type TurnWork =
  | ({ readonly kind: "enqueue" } & Enqueue)
  | { readonly kind: "reply"; readonly effects: ReplyEffects };

/** The outcome of a {@link TurnWork}: the enqueued message's sequence number, or the applied reply. */
export type TurnOutcome = number | AppliedReply;

/** The outcome of one reply applied in a group: its stored egress, or why it was refused. */
export type AppliedReply =
  | { readonly ok: true; readonly egress: StoredEgressRecord[] }
  | { readonly ok: false; readonly error: unknown };

/**
 * The runtime's durable state (WAL): per-address message queues, function state, delayed
 * messages, egress topics and dead letters. Every change that must be atomic is one transaction;
 * a failed transaction (SQLITE_BUSY, SQLITE_FULL, read-only) leaves nothing applied.
 */
export class DurableStore {
  private readonly db: Database.Database;
  /** One transaction wrapper (BEGIN IMMEDIATE) and one savepoint wrapper, made once. */
  private readonly tx: Database.Transaction<(body: () => unknown) => unknown>;
  private readonly savepoint: Database.Transaction<(body: () => unknown) => unknown>;
  readonly queue: QueueRoom;
  readonly state: StateRoom;
  readonly delays: DelayRoom;
  readonly egress: EgressRoom;
  readonly deadLetters: DeadLetterRoom;

  /** Opens (creating when needed) the store at `file`; `reset` deletes it first. */
  constructor(
    readonly file: string,
    options: DurableStoreOptions = {},
  ) {
    if (file !== ":memory:") {
      if (options.reset) {
        for (const suffix of ["", "-wal", "-shm", "-journal"])
          rmSync(file + suffix, { force: true });
      }
      mkdirSync(dirname(file), { recursive: true });
    }
    this.db = new Database(file);
    try {
      const pageSize = (this.db.pragma("page_size", { simple: true }) as number) || 4096;
      prepareDatabase(
        this.db,
        options.maxBytes === undefined ? undefined : Math.ceil(options.maxBytes / pageSize),
        options.durability === "power-loss" ? "FULL" : "NORMAL",
      );
      this.queue = new QueueRoom(this.db);
      this.state = new StateRoom(this.db);
      this.delays = new DelayRoom(this.db);
      this.egress = new EgressRoom(this.db);
      this.deadLetters = new DeadLetterRoom(this.db);
      this.tx = this.db.transaction((body: () => unknown) => body());
      this.savepoint = this.db.transaction((body: () => unknown) => body());
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** @internal The database, for read-only queries of tooling (the inspector's store reader). */
  database(): Database.Database {
    return this.db;
  }

  /** Closes the database; the store cannot be used afterwards. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs `body` in one write transaction, which also deletes the queue's consumed rows when due;
   * once it committed, the memory mirrors take its writes; on failure they are discarded, cached
   * offsets re-read, and it rethrows.
   */
  private write<T>(body: () => T): T {
    let result: T;
    try {
      result = this.tx.immediate(() => {
        const value = body();
        this.queue.collectIfDue();
        return value;
      }) as T;
    } catch (error) {
      this.queue.rollback();
      this.state.rollback();
      this.egress.forgetOffsets();
      throw error;
    }
    this.queue.commit();
    this.state.commit();
    return result;
  }

  /** Appends a message to the queue of its target; returns its sequence number. */
  enqueue(
    target: AddressKey,
    caller: AddressKey | undefined,
    argument: StoredValue,
    now: number,
  ): number {
    return this.write(() => this.queue.add(target, caller, argument, now));
  }

  /** Appends messages in ONE transaction (one fsync); returns their sequence numbers. */
  enqueueAll(messages: readonly Enqueue[], now: number): number[] {
    return this.write(() =>
      messages.map((m) => this.queue.add(m.target, m.caller, m.argument, now)),
    );
  }

  /** The addresses that have queued messages. */
  pendingAddresses(): AddressKey[] {
    return this.queue.pendingAddresses();
  }

  /** The number of queued messages, overall or for one address. */
  queueLength(address?: AddressKey): number {
    return this.queue.length(address);
  }

  /** The oldest queued messages of an address: at most `limit` (<= 0: all) and `maxBytes` (but one at least). */
  takeBatch(address: AddressKey, limit: number, maxBytes?: number): QueuedMessage[] {
    return this.queue.takeBatch(address, limit, maxBytes);
  }

  /** Every queued message of every address, oldest first (tests and tooling). */
  queuedMessages(): QueuedMessage[] {
    return this.queue.everything();
  }

  /** The current values of the named states of an address (expired values left out). */
  readStates(address: AddressKey, names: readonly string[], now: number): Map<string, Uint8Array> {
    return this.state.read(address, names, now);
  }

  private applyOne(effects: ReplyEffects): StoredEgressRecord[] {
    const { self, now } = effects;
    this.state.apply(self, effects.stateChanges, effects.registered, now);
    for (const message of effects.outgoing)
      this.queue.add(message.target, self, message.argument, now);
    // In the order the function produced them, as StateFun applies them.
    this.delays.apply(self, effects.delayed);
    const stored = this.egress.appendAll(effects.egress, now);
    this.queue.consume(self, effects.consumedSeqs);
    return stored;
  }

  /**
   * Applies an accepted reply in ONE transaction: state changes and TTL bookkeeping, outgoing
   * messages, delayed messages and cancellations, egress records, and removal of the consumed
   * batch. Throws DuplicateTokenError (nothing applied) when a token is already pending.
   */
  applyReply(effects: ReplyEffects): StoredEgressRecord[] {
    return this.write(() => this.applyOne(effects));
  }

  /**
   * Applies several replies in ONE transaction (one fsync), each all or nothing on its own (a
   * savepoint): a refused reply is rolled back alone and reported in its slot. Throws (nothing
   * applied) when the transaction itself fails (SQLITE_BUSY, SQLITE_FULL, read-only).
   */
  applyReplies(all: readonly ReplyEffects[]): AppliedReply[] {
    return this.write(() => all.map((effects) => this.applyInSavepoint(effects)));
  }

  /**
   * Everything a turn of the event loop produced in ONE transaction: messages accepted by the
   * ingress and replies of functions, in the order given (group commit across both). Each reply
   * is all or nothing on its own, as in {@link applyReplies}. Throws (nothing applied) when the
   * transaction itself fails (SQLITE_BUSY, SQLITE_FULL, read-only).
   */
  commitTurn(work: readonly TurnWork[], now: number): TurnOutcome[] {
    return this.write(() =>
      work.map(
        (w): TurnOutcome =>
          w.kind === "enqueue"
            ? this.queue.add(w.target, w.caller, w.argument, now)
            : this.applyInSavepoint(w.effects),
      ),
    );
  }

  /** Applies one reply inside the current transaction under a savepoint (refused: rolled back alone). */
  private applyInSavepoint(effects: ReplyEffects): AppliedReply {
    const mark = this.queue.mark();
    const stateMark = this.state.mark();
    try {
      const egress = this.savepoint(() => this.applyOne(effects)) as StoredEgressRecord[];
      return { ok: true, egress };
    } catch (error) {
      this.queue.rollback(mark);
      this.state.rollback(stateMark);
      this.egress.forgetOffsets();
      if (isSqliteIoError(error)) throw error;
      return { ok: false, error };
    }
  }

  /** Moves queued messages to the dead letters in one transaction; returns their numbers. */
  deadLetter(seqs: readonly number[], reason: string, attempts: number, now: number): number[] {
    return this.write(() => {
      const numbers: number[] = [];
      for (const seq of seqs) {
        const row = this.queue.row(seq);
        if (!row) continue;
        numbers.push(this.deadLetters.add(row, reason, attempts, now));
        this.queue.delete(seq, { namespace: row.namespace, type: row.type, id: row.id });
      }
      return numbers;
    });
  }

  /** Puts a dead letter back at the end of its target's queue; its target, or undefined if unknown. */
  replayDeadLetter(n: number, now: number): AddressKey | undefined {
    return this.write(() => {
      const letter = this.deadLetters.get(n);
      if (!letter) return undefined;
      this.queue.add(letter.target, letter.caller, letter.argument, now);
      this.deadLetters.delete(n);
      return letter.target;
    });
  }

  /** Deletes a dead letter; whether it existed. */
  dropDeadLetter(n: number): boolean {
    return this.write(() => this.deadLetters.delete(n));
  }

  /** Dead letters from number `from`, oldest first, at most `limit` (< 0: all). */
  listDeadLetters(from = 0, limit = -1): DeadLetter[] {
    return this.deadLetters.list(from, limit);
  }

  /** The due time of the earliest pending delayed message, if any. */
  nextDueAt(): number | undefined {
    return this.delays.nextDueAt();
  }

  /** The number of pending delayed messages. */
  delayedCount(): number {
    return this.delays.size();
  }

  /** Moves every delayed message due at `now` into its target's queue, in one transaction. */
  releaseDue(now: number): AddressKey[] {
    return this.write(() => this.delays.release(now, this.queue));
  }

  /** Reads the next unread record of a topic and advances its cursor (consume once). */
  consumeNext(topic: string): StoredEgressRecord | undefined {
    return this.egress.consumeNext(topic);
  }

  /** Lists records of a topic from an offset, without consuming them (`limit` < 0: all). */
  listRecords(topic: string, from: number, limit: number): StoredEgressRecord[] {
    return this.egress.list(topic, from, limit);
  }

  /** Every egress record of every topic, in the order they were written. */
  allRecords(): StoredEgressRecord[] {
    return this.egress.all();
  }

  /** Every topic with its record count and the number of records not consumed yet. */
  topics(): TopicSummary[] {
    return this.egress.topics();
  }

  /** The stored value of one state (tests and tooling); `undefined` when absent or expired. */
  peekState(address: AddressKey, name: string, now: number): Uint8Array | undefined {
    return this.state.peek(address, name, now);
  }
}

/** Whether an error is SQLite failing to read or write the file (busy, full, read-only, I/O). */
export function isSqliteIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN|PROTOCOL|NOMEM|CORRUPT|NOTADB)/.test(code)
  );
}
