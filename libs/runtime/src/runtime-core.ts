import { AddressDispatcher, type RetryPolicy } from "./address-dispatcher.js";
import { type Clock, systemClock } from "./clock.js";
import { DelayTimer } from "./delay-timer.js";
import {
  type AddressKey,
  DurableStore,
  type QueuedMessage,
  type StoredEgressRecord,
  type StoredValue,
} from "./durable-store.js";
import { FunctionClient } from "./function-client.js";
import type { FunctionTransport } from "./function-transport.js";
import type { RuntimeLog } from "./log.js";
import type { ModuleConfig } from "./module-yaml.js";
import type { RuntimeObserver } from "./runtime-observer.js";
import { type RegisteredState, StateRegistry } from "./state-registry.js";

/** Options of {@link createRuntimeCore}. */
export interface RuntimeCoreOptions {
  readonly module: ModuleConfig;
  /** SQLite state file, or `":memory:"` for a store that lives as long as the core. */
  readonly stateFile: string;
  /** Delete the state file before opening it. */
  readonly reset?: boolean;
  readonly log: RuntimeLog;
  /** Waits between retries of a batch whose call or reply failed for good. */
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
  /** Egress records were appended. */
  readonly onEgress?: (records: readonly StoredEgressRecord[]) => void;
  /** A batch failed for good; it stays queued and is retried after the backoff. */
  readonly onFailure?: (address: AddressKey, error: unknown) => void;
  /** Told about each call and reply (e.g. the inspector); costs nothing when absent. */
  readonly observer?: RuntimeObserver;
}

/**
 * The runtime without sockets: durable queues, state, delayed messages and egress, delivering to
 * functions through a transport. `startRuntime` puts the HTTP ingress and egress in front of it;
 * a test kit drives it directly.
 */
export class RuntimeCore {
  /** @internal The store, for the egress server. */
  readonly store: DurableStore;
  readonly module: ModuleConfig;
  readonly clock: Clock;
  private readonly transport: FunctionTransport;
  private readonly dispatcher: AddressDispatcher;
  private readonly timer: DelayTimer;
  private readonly log: RuntimeLog;
  private readonly states = new StateRegistry();
  private closing: Promise<void> | undefined;

  constructor(options: RuntimeCoreOptions) {
    this.module = options.module;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.store = new DurableStore(options.stateFile, options.reset ?? false);
    this.transport = options.transport ?? new FunctionClient();
    const onEgress = options.onEgress ?? (() => {});
    this.dispatcher = new AddressDispatcher(
      this.module,
      this.store,
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
      },
      {
        onDelayedScheduled: () => this.timer.reschedule(),
        onEgress,
        ...(options.onFailure ? { onFailure: options.onFailure } : {}),
        ...(options.observer ? { observer: options.observer } : {}),
      },
    );
    this.timer = new DelayTimer(
      this.store,
      (targets) => {
        for (const target of targets) this.dispatcher.kick(target);
      },
      this.clock,
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

  /** Queues a message from outside (no caller) and starts its delivery; returns its sequence number. */
  enqueue(target: AddressKey, argument: StoredValue): number {
    const seq = this.store.enqueue(target, undefined, argument, this.clock.now());
    this.dispatcher.kick(target);
    return seq;
  }

  /** Resolves once no delivery is in flight (messages due later and retries wait for their time). */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  /** The stored value of a state; `undefined` when absent or expired. */
  readState(address: AddressKey, name: string): Uint8Array | undefined {
    return this.store.peekState(address, name, this.clock.now());
  }

  /**
   * The states a function type (`<namespace>/<type>`) registered through the handshake, with
   * their typenames; empty until its first call after a start (registrations live in memory).
   */
  registeredStates(functionType: string): ReadonlyMap<string, RegisteredState> {
    return this.states.statesOf(functionType);
  }

  /** Every egress record, oldest first; of one topic (Kinesis stream, generic egress id) if given. */
  egressRecords(topic?: string): StoredEgressRecord[] {
    return topic === undefined ? this.store.allRecords() : this.store.listRecords(topic, 0, -1);
  }

  /** Every message waiting in a queue, oldest first. */
  queuedMessages(): QueuedMessage[] {
    return this.store.queuedMessages();
  }

  /** Queued messages and pending delayed messages. */
  stats(): { queued: number; delayed: number } {
    return { queued: this.store.queueLength(), delayed: this.store.delayedCount() };
  }

  /** Stops deliveries and timers and closes the store; replies that arrive later are dropped. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.timer.stop();
      await this.dispatcher.close();
      this.transport.close();
      this.store.close();
    })();
    return this.closing;
  }
}
