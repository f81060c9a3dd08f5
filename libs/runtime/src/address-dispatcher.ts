import { setMaxListeners } from "node:events";
import { io } from "@statefun-ts/sdk/wire";
import type { Clock, ScheduledTimer } from "./clock.js";
import type {
  AddressKey,
  DurableStore,
  QueuedMessage,
  StoredEgressRecord,
} from "./durable-store.js";
import { DuplicateTokenError } from "./durable-store.js";
import { describeError, FunctionCallError, ReplyRejectedError, RuntimeError } from "./errors.js";
import type { FunctionTransport } from "./function-transport.js";
import type { RuntimeLog } from "./log.js";
import {
  type EgressDeclaration,
  findEndpoint,
  functionUrl,
  type ModuleConfig,
} from "./module-yaml.js";
import { replyEffects } from "./reply-effects.js";
import type { RuntimeObserver } from "./runtime-observer.js";
import type { StateRegistry } from "./state-registry.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;

/** How the dispatcher retries an address after a call or a reply failed for good. */
export interface RetryPolicy {
  /** First wait before retrying a failed batch, in ms. */
  readonly initialMs: number;
  /** Longest wait between retries, in ms. */
  readonly maxMs: number;
}

/** How the dispatcher retries, keeps time and routes. */
export interface DispatcherSettings {
  readonly retry: RetryPolicy;
  /** Time of state reads, TTL and delays; schedules the retry backoff. */
  readonly clock: Clock;
  /**
   * Accept messages to function types no endpoint serves (they stay queued, e.g. for a test kit
   * to read as an outbox) instead of rejecting the reply as the StateFun runtime does.
   */
  readonly keepUnserved: boolean;
}

/** Hooks the dispatcher calls after applying a reply or when a batch failed. */
export interface DispatcherHooks {
  /** Delayed messages were scheduled. */
  readonly onDelayedScheduled: () => void;
  /** Egress records were appended. */
  readonly onEgress: (records: readonly StoredEgressRecord[]) => void;
  /** A batch failed for good (call, reply or apply); it stays queued and is retried later. */
  readonly onFailure?: (address: AddressKey, error: unknown) => void;
  /** Told about each call and reply (the inspector). */
  readonly observer?: RuntimeObserver;
}

const MAX_HANDSHAKE_ROUNDS = 3;

/** `namespace/type/id`, the map key and the log form of an address. */
export function addressText(address: AddressKey): string {
  return `${address.namespace}/${address.type}/${address.id}`;
}

class ShutdownError extends RuntimeError {
  override name = "ShutdownError";
}

/**
 * Sends queued messages to their functions: at most one request in flight per address; messages
 * that arrive meanwhile wait in the durable queue and go out as the next batch (up to the
 * endpoint's `maxNumBatchRequests`). A batch leaves the queue only in the transaction that
 * applies its accepted reply.
 */
export class AddressDispatcher {
  private readonly inFlight = new Set<string>();
  private readonly retryTimers = new Map<string, ScheduledTimer>();
  private readonly failures = new Map<string, number>();
  private readonly warnedEgress = new Set<string>();
  // One signal aborts every in-flight call and backoff on close; each call listens to it, so
  // more than 10 concurrent addresses are normal, not a leak.
  private readonly abort = unboundedAbortController();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly module: ModuleConfig,
    private readonly store: DurableStore,
    private readonly transport: FunctionTransport,
    private readonly states: StateRegistry,
    private readonly log: RuntimeLog,
    private readonly settings: DispatcherSettings,
    private readonly hooks: DispatcherHooks,
  ) {}

  /** Starts delivery for an address unless it already has a request in flight or waits to retry. */
  kick(address: AddressKey): void {
    if (this.closed) return;
    const key = addressText(address);
    if (this.inFlight.has(key) || this.retryTimers.has(key)) return;
    this.inFlight.add(key);
    const run = this.drain(address, key).finally(() => {
      this.inFlight.delete(key);
      this.running.delete(run);
    });
    this.running.add(run);
  }

  /** Whether any address has a request in flight. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves once no address has a request in flight (deliveries they start included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops all deliveries; a reply that arrives later is not applied (its batch stays queued). */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    for (const timer of this.retryTimers.values()) timer.cancel();
    this.retryTimers.clear();
    await Promise.allSettled([...this.running]);
  }

  private async drain(address: AddressKey, key: string): Promise<void> {
    const endpoint = findEndpoint(this.module, address.namespace, address.type);
    if (!endpoint) {
      if (this.settings.keepUnserved) return;
      this.log(
        "error",
        `messages queued for ${key} stay queued: no endpoint in module.yaml serves ${address.namespace}/${address.type}`,
      );
      return;
    }
    try {
      for (;;) {
        if (this.closed) return;
        const batch = this.store.takeBatch(address, endpoint.maxNumBatchRequests);
        if (batch.length === 0) return;
        await this.deliver(address, batch, functionUrl(endpoint, address.type), endpoint);
        this.failures.delete(key);
      }
    } catch (error) {
      if (this.closed || error instanceof ShutdownError) return;
      const count = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, count);
      const { retry } = this.settings;
      const wait = Math.min(retry.initialMs * 2 ** (count - 1), retry.maxMs);
      const queued = this.store.queueLength(address);
      this.log(
        "error",
        `FAILED ${key}: ${describeError(error)}. The batch is kept (${queued} message(s) queued for this address); retry #${count} in ${wait} ms`,
      );
      const timer = this.settings.clock.schedule(wait, () => {
        this.retryTimers.delete(key);
        this.kick(address);
      });
      this.retryTimers.set(key, timer);
      this.observe((o) => o.callFailed?.(address, error));
      this.hooks.onFailure?.(address, error);
    }
  }

  private async deliver(
    address: AddressKey,
    batch: QueuedMessage[],
    url: string,
    timeouts: { callTimeoutMs: number; connectTimeoutMs: number },
  ): Promise<void> {
    const functionType = `${address.namespace}/${address.type}`;
    const key = addressText(address);
    this.observe((o) => o.callStarted?.(address, batch));
    for (let round = 0; ; round += 1) {
      const registered = this.states.statesOf(functionType);
      const values = this.store.readStates(
        address,
        [...registered.keys()],
        this.settings.clock.now(),
      );
      const request = ToFunction.encode({
        invocation: {
          target: { namespace: address.namespace, type: address.type, id: address.id },
          state: [...registered].map(([name, state]) => {
            const value = values.get(name);
            return value === undefined
              ? { stateName: name }
              : {
                  stateName: name,
                  stateValue: { typename: state.typename, hasValue: true, value },
                };
          }),
          invocations: batch.map((message) => ({
            ...(message.caller ? { caller: message.caller } : {}),
            argument: {
              typename: message.argument.typename,
              hasValue: message.argument.hasValue,
              value: message.argument.value,
            },
          })),
        },
      }).finish();
      const replyBytes = await this.transport.call(
        { url, functionType, body: request },
        {
          ...timeouts,
          signal: this.abort.signal,
          onRetry: (_attempt, reason) =>
            this.log("warn", `call to ${key} at ${url} failed (${reason}); retrying`),
        },
      );
      if (this.closed) throw new ShutdownError("the runtime is shutting down");
      let reply: io.statefun.sdk.reqreply.FromFunction;
      try {
        reply = FromFunction.decode(replyBytes);
      } catch (error) {
        throw new FunctionCallError(
          `the reply of ${key} at ${url} is not a FromFunction message: ${describeError(error)}`,
        );
      }
      if (reply.incompleteInvocationContext) {
        const missing = reply.incompleteInvocationContext.missingValues ?? [];
        if (round >= MAX_HANDSHAKE_ROUNDS) {
          throw new ReplyRejectedError(
            `function ${key} still reports missing states (${missing.map((m) => m.stateName).join(", ")}) after ${round} registration rounds`,
          );
        }
        const added = this.states.register(functionType, missing);
        this.log(
          "info",
          `registered ${added} state(s) of ${functionType}: ${missing.map((m) => `${m.stateName} (${m.typeTypename})`).join(", ")}`,
        );
        continue;
      }
      const effects = replyEffects(reply.invocationResult ?? {}, {
        self: address,
        consumedSeqs: batch.map((message) => message.seq),
        states: registered,
        isRoutable: (namespace, type) =>
          this.settings.keepUnserved || findEndpoint(this.module, namespace, type) !== undefined,
        egressKind: (id) => this.egressKind(id),
        now: this.settings.clock.now(),
      });
      let stored: StoredEgressRecord[];
      this.observe((o) => o.replyApplying?.(effects));
      try {
        stored = this.store.applyReply(effects);
      } catch (error) {
        if (error instanceof DuplicateTokenError) {
          throw new ReplyRejectedError(`function ${key} replied with ${error.message}`);
        }
        throw error;
      }
      this.observe((o) => o.replyApplied?.(effects, stored));
      if (stored.length > 0) this.hooks.onEgress(stored);
      if (effects.delayed.length > 0) this.hooks.onDelayedScheduled();
      for (const message of effects.outgoing) this.kick(message.target);
      return;
    }
  }

  /** Calls the observer, if any; an observer that throws is logged, never breaks delivery. */
  private observe(call: (observer: RuntimeObserver) => void): void {
    const observer = this.hooks.observer;
    if (!observer) return;
    try {
      call(observer);
    } catch (error) {
      this.log("warn", `runtime observer failed: ${describeError(error)}`);
    }
  }

  private egressKind(id: string): EgressDeclaration["kind"] | undefined {
    const declared = this.module.egresses.find((e) => e.id === id);
    if (!declared && !this.warnedEgress.has(id)) {
      this.warnedEgress.add(id);
      this.log(
        "warn",
        `egress ${id} is not declared in module.yaml; the local runtime records it anyway, but on Flink it must be declared (e.g. kind io.statefun.kafka.v1/egress with id ${id})`,
      );
    }
    return declared?.kind;
  }
}

function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
