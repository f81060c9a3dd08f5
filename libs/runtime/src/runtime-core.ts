// RuntimeCore: the runtime without sockets. Durable queues, state, delayed messages, egress and
// dead letters behind one documented surface; the HTTP servers, the CLI, the test kit and
// tooling (inspector, connectors, metrics) all go through it.
import type Database from "better-sqlite3";
import { AddressDispatcher, type RetryPolicy } from "./address-dispatcher.js";
import { type Clock, systemClock } from "./clock.js";
import { DelayTimer } from "./delay-timer.js";
import {
  type AddressKey,
  type AppliedReply,
  type DeadLetter,
  type Durability,
  DurableStore,
  isSqliteIoError,
  type QueuedMessage,
  type StoredEgressRecord,
  type StoredValue,
  type TopicSummary,
  type TurnOutcome,
  type TurnWork,
} from "./durable-store.js";
import { describeError, IngressError, RuntimeError, StoreUnavailableError } from "./errors.js";
import { FunctionClient } from "./function-client.js";
import type { FunctionTransport } from "./function-transport.js";
import { GroupCommit } from "./group-commit.js";
import type { RuntimeLog } from "./log.js";
import type { ModuleConfig } from "./module-yaml.js";
import type { DeadLetterEvent, RuntimeObserver } from "./runtime-observer.js";
import { type RegisteredState, StateRegistry } from "./state-registry.js";
import { OwnerLock } from "./store/owner-lock.js";

/** Default bound on queued messages beyond which {@link RuntimeCore.accept} refuses (503). */
export const DEFAULT_MAX_QUEUED = 100_000;
/** Default byte budget of one batch sent to a function. */
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Default calls in flight per endpoint beyond which deliveries wait to batch more (see `callsPerEndpoint`). */
export const DEFAULT_CALLS_PER_ENDPOINT = 4;
/** Default number of calls a message that can never succeed gets before it becomes a dead letter. */
export const DEFAULT_DEAD_LETTER_AFTER = 3;

/** Options of {@link RuntimeCore}. */
export interface RuntimeCoreOptions {
  /** The module served: endpoints and egresses. */
  readonly module: ModuleConfig;
  /** SQLite state file, or `":memory:"` for a store that lives as long as the core. */
  readonly stateFile: string;
  /** Delete the state file before opening it (after its lock is taken). */
  readonly reset?: boolean;
  /** Where the runtime writes what it does (state registrations, failures, retries). */
  readonly log: RuntimeLog;
  /** Waits between retries of a batch whose call or reply failed. */
  readonly retry?: Partial<RetryPolicy>;
  /** How functions are called (default: HTTP POST to the endpoint URL). */
  readonly transport?: FunctionTransport;
  /** Time of delays, TTL and retry backoff (default: the system clock). */
  readonly clock?: Clock;
  /**
   * Keep messages to function types no endpoint serves in the queue (read them with
   * `queuedMessages`) instead of rejecting the reply as the StateFun runtime does. Default false.
   */
  readonly keepUnserved?: boolean;
  /** Bound on queued messages: `accept` answers 503 beyond it (default 100,000). */
  readonly maxQueuedMessages?: number;
  /** Byte budget of a batch for endpoints without `maxBatchBytes` (default 16 MiB). */
  readonly maxBatchBytes?: number;
  /** Calls before a message that can never succeed becomes a dead letter (default 3). */
  readonly deadLetterAfter?: number;
  /**
   * Adaptive batching: with this many calls in flight to an endpoint (default 4), an address with
   * messages waits for one of them to end, and its batch grows meanwhile. Under load the endpoint
   * gets fewer, larger batches (its throughput); without load nothing waits. A call older than
   * 100 ms no longer counts, so a slow function holds others up 100 ms at most. 0: no waiting,
   * every address with messages calls at once (as the StateFun runtime does).
   */
  readonly callsPerEndpoint?: number;
  /** Largest size of the state file in bytes (beyond it writes fail with SQLITE_FULL). */
  readonly maxStateBytes?: number;
  /** What a commit survives: `process-crash` (default, WAL + synchronous NORMAL) or `power-loss` (FULL). */
  readonly durability?: Durability;
  /** Egress records were appended. */
  readonly onEgress?: (records: readonly StoredEgressRecord[]) => void;
  /** A batch failed; it stays queued and is retried after the backoff (or became dead letters). */
  readonly onFailure?: (address: AddressKey, error: unknown) => void;
  /** Messages became dead letters. */
  readonly onDeadLetter?: (letters: readonly DeadLetterEvent[]) => void;
  /** Told about each call and reply (e.g. the inspector); costs nothing when absent. */
  readonly observer?: RuntimeObserver;
}

/** Counts of what the runtime holds, for tests, tooling and metrics. */
export interface RuntimeStats {
  /** Messages queued for delivery. */
  queued: number;
  /** Delayed messages not yet due. */
  delayed: number;
  /** Messages set aside as dead letters. */
  deadLetters: number;
}

/**
 * The runtime without sockets: durable queues, state, delayed messages, egress and dead letters,
 * delivering to functions through a transport. `startRuntime` puts the HTTP ingress and egress
 * in front of it; a test kit drives it directly. Store failures surface as
 * {@link StoreUnavailableError} (503) and are retried with backoff inside.
 */
export class RuntimeCore {
  /** The module served. */
  readonly module: ModuleConfig;
  /** The clock driving delays, TTL and retries. */
  readonly clock: Clock;
  /** The absolute state file (or `:memory:`). */
  readonly stateFile: string;
  private readonly lock: OwnerLock | undefined;
  private readonly store: DurableStore;
  private readonly transport: FunctionTransport;
  private readonly dispatcher: AddressDispatcher;
  private readonly timer: DelayTimer;
  private readonly log: RuntimeLog;
  private readonly states = new StateRegistry();
  /** Group commit of each turn: accepted messages and applied replies share one transaction. */
  private readonly turn: GroupCommit<TurnWork, TurnOutcome>;
  private readonly maxQueued: number;
  private closing: Promise<void> | undefined;

  /**
   * Takes the state file's owner lock (throws StateFileLockedError naming the owner's pid when
   * another runtime holds it; nothing is deleted), then opens (or resets) the store.
   */
  constructor(options: RuntimeCoreOptions) {
    this.module = options.module;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.stateFile = options.stateFile;
    this.maxQueued = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED;
    const calls = options.callsPerEndpoint ?? DEFAULT_CALLS_PER_ENDPOINT;
    if (!Number.isSafeInteger(calls) || calls < 0) {
      throw new RuntimeError(
        `callsPerEndpoint ${String(calls)} is not a whole number of 0 or more: give the calls in flight per endpoint beyond which deliveries wait (default ${DEFAULT_CALLS_PER_ENDPOINT}; 0 = never wait)`,
      );
    }
    this.lock = options.stateFile === ":memory:" ? undefined : OwnerLock.acquire(options.stateFile);
    try {
      this.store = new DurableStore(options.stateFile, {
        reset: options.reset ?? false,
        ...(options.maxStateBytes !== undefined ? { maxBytes: options.maxStateBytes } : {}),
        ...(options.durability !== undefined ? { durability: options.durability } : {}),
      });
    } catch (error) {
      this.lock?.release();
      throw new StoreUnavailableError(
        `cannot open state file ${options.stateFile}: ${sqliteText(error)}${readOnlyHint(error)}`,
        { cause: error },
      );
    }
    this.transport = options.transport ?? new FunctionClient();
    this.turn = new GroupCommit((work) => this.store.commitTurn(work, this.clock.now()));
    const onEgress = options.onEgress ?? (() => {});
    this.dispatcher = new AddressDispatcher(
      this.module,
      this.store,
      (effects) => this.turn.submit({ kind: "reply", effects }) as Promise<AppliedReply>,
      this.transport,
      this.states,
      this.log,
      {
        retry: {
          initialMs: options.retry?.initialMs ?? 1000,
          maxMs: options.retry?.maxMs ?? 60_000,
        },
        clock: this.clock,
        keepUnserved: options.keepUnserved ?? false,
        deadLetterAfter: Math.max(1, options.deadLetterAfter ?? DEFAULT_DEAD_LETTER_AFTER),
        maxBatchBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
        callsPerEndpoint: calls,
      },
      {
        onDelayedScheduled: () => this.timer.reschedule(),
        onEgress,
        ...(options.onFailure ? { onFailure: options.onFailure } : {}),
        ...(options.onDeadLetter ? { onDeadLetter: options.onDeadLetter } : {}),
        ...(options.observer ? { observer: options.observer } : {}),
      },
    );
    this.timer = new DelayTimer(
      this.store,
      (targets) => {
        for (const target of targets) this.dispatcher.kick(target);
      },
      this.clock,
      this.log,
    );
  }

  /** Resumes delivery of messages queued before a restart and arms the delayed-message timer. */
  start(): void {
    const pending = this.store.pendingAddresses();
    if (pending.length > 0) {
      this.log(
        "info",
        `resuming ${this.store.queueLength()} queued message(s) for ${pending.length} address(es)`,
      );
    }
    for (const address of pending) this.dispatcher.kick(address);
    this.timer.reschedule();
  }

  /**
   * Queues a message from outside (no caller) in its own transaction and starts its delivery;
   * returns its sequence number. Throws StoreUnavailableError when the store cannot write.
   */
  enqueue(target: AddressKey, argument: StoredValue): number {
    const seq = this.guard("enqueue a message", () =>
      this.store.enqueue(target, undefined, argument, this.clock.now()),
    );
    this.dispatcher.kick(target);
    return seq;
  }

  /**
   * Queues a message from outside with group commit: messages accepted in the same turn of the
   * event loop share one transaction (one fsync). Resolves with its sequence number once it is
   * durable (it survives a SIGKILL right after); rejects with an IngressError 503 (Retry-After)
   * when `maxQueuedMessages` are queued or the store cannot write (nothing is enqueued then).
   */
  async accept(target: AddressKey, argument: StoredValue): Promise<number> {
    if (this.closing) throw new IngressError("the runtime is shutting down", 503, 1);
    // Queued, plus what waits for this turn's commit (accepted messages, and replies: at most
    // one per address in flight, so the bound holds to within that).
    const queued = this.store.queueLength() + this.turn.size;
    if (queued >= this.maxQueued) {
      throw new IngressError(
        `the runtime holds ${queued} queued message(s), its bound (maxQueuedMessages ${this.maxQueued}): the functions are not keeping up; retry later`,
        503,
        1,
      );
    }
    let seq: number;
    try {
      seq = (await this.turn.submit({
        kind: "enqueue",
        target,
        caller: undefined,
        argument,
      })) as number;
    } catch (error) {
      throw storeError("enqueue a message", error);
    }
    this.dispatcher.kick(target);
    return seq;
  }

  /** Resolves once no delivery is in flight (messages due later and retries wait for their time). */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  /** The stored value of a state; `undefined` when absent or expired. */
  readState(address: AddressKey, name: string): Uint8Array | undefined {
    return this.guard("read state", () => this.store.peekState(address, name, this.clock.now()));
  }

  /**
   * The states a function type (`<namespace>/<type>`) registered through the handshake, with
   * their typenames; empty until its first call after a start (registrations live in memory).
   */
  registeredStates(functionType: string): ReadonlyMap<string, RegisteredState> {
    return this.states.statesOf(functionType);
  }

  /** @internal The database, for read-only queries of tooling (the inspector's store reader). */
  database(): Database.Database {
    return this.store.database();
  }

  /** Every egress record, oldest first; of one topic (Kinesis stream, generic egress id) if given. */
  egressRecords(topic?: string): StoredEgressRecord[] {
    return this.guard("read egress records", () =>
      topic === undefined ? this.store.allRecords() : this.store.listRecords(topic, 0, -1),
    );
  }

  /** Records of a topic from an offset, at most `limit`, without consuming them. */
  listRecords(topic: string, from: number, limit: number): StoredEgressRecord[] {
    return this.guard("read egress records", () => this.store.listRecords(topic, from, limit));
  }

  /** The next unread record of a topic, advancing its durable cursor (consume once). */
  consumeNext(topic: string): StoredEgressRecord | undefined {
    return this.guard("consume an egress record", () => this.store.consumeNext(topic));
  }

  /** Every egress topic with its record count and unread records. */
  topics(): TopicSummary[] {
    return this.guard("list egress topics", () => this.store.topics());
  }

  /** Dead letters from number `from`, oldest first, at most `limit` (< 0: all). */
  deadLetters(from = 0, limit = -1): DeadLetter[] {
    return this.guard("list dead letters", () => this.store.listDeadLetters(from, limit));
  }

  /**
   * Puts dead letter `n` back at the end of its target's queue and starts its delivery; the
   * target, or `undefined` when there is no such dead letter.
   */
  replayDeadLetter(n: number): AddressKey | undefined {
    const target = this.guard("replay a dead letter", () =>
      this.store.replayDeadLetter(n, this.clock.now()),
    );
    if (target) this.dispatcher.kick(target);
    return target;
  }

  /** Deletes dead letter `n` for good; whether it existed. */
  dropDeadLetter(n: number): boolean {
    return this.guard("drop a dead letter", () => this.store.dropDeadLetter(n));
  }

  /** Every message waiting in a queue, oldest first. */
  queuedMessages(): QueuedMessage[] {
    return this.guard("list queued messages", () => this.store.queuedMessages());
  }

  /** Queued messages, pending delayed messages and dead letters. */
  stats(): RuntimeStats {
    return this.guard("count messages", () => ({
      queued: this.store.queueLength(),
      delayed: this.store.delayedCount(),
      deadLetters: this.store.deadLetters.size(),
    }));
  }

  /** Stops deliveries and timers, closes the store and releases the state file's lock. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.turn.flush();
      this.timer.stop();
      await this.dispatcher.close();
      this.transport.close();
      this.store.close();
      this.lock?.release();
    })();
    return this.closing;
  }

  private guard<T>(what: string, body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw storeError(what, error);
    }
  }
}

function storeError(what: string, error: unknown): unknown {
  if (!isSqliteIoError(error)) return error;
  return new StoreUnavailableError(
    `cannot ${what}: the state file is unavailable (${sqliteText(error)})${readOnlyHint(error)}; nothing was changed, retry later`,
    { cause: error },
  );
}

function sqliteText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? `${code}: ${describeError(error)}` : describeError(error);
}

function readOnlyHint(error: unknown): string {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (code.startsWith("SQLITE_READONLY"))
    return ". The state file (or its directory) is read-only: make it writable, or choose another --state-file";
  if (code.startsWith("SQLITE_FULL"))
    return ". The disk (or the state file's size cap) is full: free space, or drop what you do not need";
  if (code.startsWith("SQLITE_BUSY"))
    return ". Another process holds the state file's write lock (e.g. an sqlite3 shell in a transaction)";
  return "";
}
