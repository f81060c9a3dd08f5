// Delivery of queued messages to functions: one request in flight per address, batches within a
// count and a byte budget, replies applied in group commits, retries with capped exponential
// backoff, and dead letters for calls that can never succeed.
import { setMaxListeners } from "node:events";
import { formatAddress } from "@statefun-ts/sdk";
import { CallSlots } from "./call-slots.js";
import type { Clock, ScheduledTimer } from "./clock.js";
import type {
  AddressKey,
  AppliedReply,
  DurableStore,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
} from "./durable-store.js";
import { DuplicateTokenError } from "./durable-store.js";
import { describeError, FunctionCallError, ReplyRejectedError, RuntimeError } from "./errors.js";
import type { FunctionTransport } from "./function-transport.js";
import type { RuntimeLog } from "./log.js";
import {
  type EgressDeclaration,
  type FunctionEndpoint,
  findEndpoint,
  functionUrl,
  type ModuleConfig,
} from "./module-yaml.js";
import { replyEffects } from "./reply-effects.js";
import type { DeadLetterEvent, RuntimeObserver } from "./runtime-observer.js";
import type { StateRegistry } from "./state-registry.js";
import { decodeFromFunction, encodeToFunction, type FromFunctionReply } from "./wire-codec.js";

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
  /** Calls a message that can never succeed gets before it becomes a dead letter (>= 1). */
  readonly deadLetterAfter: number;
  /** Byte budget of one batch when the endpoint sets none. */
  readonly maxBatchBytes: number;
  /**
   * Calls in flight to one endpoint beyond which an address with messages waits for one of them
   * to end, its batch growing meanwhile (0: never waits). Calls older than
   * {@link SLOW_CALL_MS} do not count.
   */
  readonly callsPerEndpoint: number;
}

/** Age from which a call no longer holds up other addresses of its endpoint (see CallSlots). */
export const SLOW_CALL_MS = 100;

/** Hooks the dispatcher calls after applying a reply or when a batch failed. */
export interface DispatcherHooks {
  /** Delayed messages were scheduled. */
  readonly onDelayedScheduled: () => void;
  /** Egress records were appended. */
  readonly onEgress: (records: readonly StoredEgressRecord[]) => void;
  /** A batch failed (call, reply or apply); it stays queued and is retried later. */
  readonly onFailure?: (address: AddressKey, error: unknown) => void;
  /** Messages became dead letters. */
  readonly onDeadLetter?: (letters: readonly DeadLetterEvent[]) => void;
  /** Told about each call and reply (the inspector). */
  readonly observer?: RuntimeObserver;
}

const MAX_HANDSHAKE_ROUNDS = 3;

/** `namespace/type:id` (the SDK's formatAddress), the map key and the log form of an address. */
export function addressText(address: AddressKey): string {
  return formatAddress(address);
}

class ShutdownError extends RuntimeError {
  override name = "ShutdownError";
}

/**
 * Whether a failure can never succeed by retrying the same batch: the function type is unknown
 * to its endpoint (404), the request is refused as bad or too large (400, 413), or the runtime
 * rejects the reply. `perMessage`: one message of the batch may be the cause (halve the batch).
 */
export function permanentFailure(error: unknown): { perMessage: boolean } | undefined {
  if (error instanceof ReplyRejectedError) return { perMessage: true };
  if (error instanceof FunctionCallError) {
    if (error.status === 404) return { perMessage: false };
    if (error.status === 400 || error.status === 413) return { perMessage: true };
  }
  return undefined;
}

/**
 * Sends queued messages to their functions: at most one request in flight per address; messages
 * that arrive meanwhile wait in the durable queue and go out as the next batch (up to the
 * endpoint's `maxNumBatchRequests` and `maxBatchBytes`). A batch leaves the queue only in the
 * transaction that applies its accepted reply, or as dead letters.
 */
export class AddressDispatcher {
  private readonly inFlight = new Set<string>();
  private readonly retryTimers = new Map<string, ScheduledTimer>();
  private readonly failures = new Map<string, number>();
  /** Per address: the batch size after a refused batch was halved. */
  private readonly limits = new Map<string, number>();
  /** Per address: permanent failures of the batch starting at `seq`. */
  private readonly permanent = new Map<string, { seq: number; attempts: number }>();
  private readonly warnedEgress = new Set<string>();
  // One signal aborts every in-flight call and backoff on close; each call listens to it, so
  // more than 10 concurrent addresses are normal, not a leak.
  private readonly abort = unboundedAbortController();
  private readonly running = new Set<Promise<void>>();
  /** Call slots per endpoint (adaptive batching). */
  private readonly slots = new Map<FunctionEndpoint, CallSlots>();
  private closed = false;

  constructor(
    private readonly module: ModuleConfig,
    private readonly store: DurableStore,
    /** Applies a reply in the turn's group commit (one transaction with the ingress's messages). */
    private readonly commitReply: (effects: ReplyEffects) => Promise<AppliedReply>,
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
    for (const slots of this.slots.values()) slots.releaseAll();
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
    const maxBytes = endpoint.maxBatchBytes ?? this.settings.maxBatchBytes;
    const slots = this.slotsOf(endpoint);
    for (;;) {
      if (this.closed) return;
      // Under load this waits for a call to the endpoint to end: the batch taken after it is
      // larger. Otherwise the call starts now, in this turn.
      const acquired = slots.acquire();
      const slot = acquired instanceof Promise ? await acquired : acquired;
      let batch: QueuedMessage[] = [];
      try {
        if (this.closed) return;
        const full = Math.max(endpoint.maxNumBatchRequests, 0);
        const limit = this.limits.get(key) ?? full;
        batch = this.store.takeBatch(address, limit, maxBytes);
        if (batch.length === 0) {
          this.limits.delete(key);
          return;
        }
        await this.deliver(address, batch, functionUrl(endpoint, address.type), endpoint);
        this.failures.delete(key);
        this.permanent.delete(key);
        // After a halved batch succeeded, grow back towards the endpoint's batch size.
        const halved = this.limits.get(key);
        if (halved !== undefined) {
          if (full > 0 && halved * 2 >= full) this.limits.delete(key);
          else this.limits.set(key, halved * 2);
        }
      } catch (error) {
        if (this.closed || error instanceof ShutdownError) return;
        this.observe((o) => o.callFailed?.(address, error));
        if (this.onPermanent(address, key, batch, error)) continue;
        this.scheduleRetry(address, key, error);
        return;
      } finally {
        slots.release(slot);
      }
    }
  }

  private slotsOf(endpoint: FunctionEndpoint): CallSlots {
    let slots = this.slots.get(endpoint);
    if (!slots) {
      slots = new CallSlots(this.settings.callsPerEndpoint, SLOW_CALL_MS, this.settings.clock);
      this.slots.set(endpoint, slots);
    }
    return slots;
  }

  /** Handles a failure that retrying the same batch cannot fix; false when it is retryable. */
  private onPermanent(
    address: AddressKey,
    key: string,
    batch: readonly QueuedMessage[],
    error: unknown,
  ): boolean {
    const kind = permanentFailure(error);
    const first = batch[0];
    if (!kind || !first) return false;
    if (kind.perMessage && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      this.limits.set(key, half);
      this.log(
        "warn",
        `${key}: a batch of ${batch.length} message(s) was refused (${describeError(error)}); retrying in batches of ${half} to find the message at fault`,
      );
      return true;
    }
    const previous = this.permanent.get(key);
    const attempts = previous?.seq === first.seq ? previous.attempts + 1 : 1;
    this.permanent.set(key, { seq: first.seq, attempts });
    if (attempts < this.settings.deadLetterAfter) return false;
    this.permanent.delete(key);
    const reason = describeError(error);
    const numbers = this.store.deadLetter(
      batch.map((m) => m.seq),
      reason,
      attempts,
      this.settings.clock.now(),
    );
    this.failures.delete(key);
    this.log(
      "error",
      `DEAD LETTER ${key}: ${numbers.length} message(s) set aside after ${attempts} attempt(s) (#${numbers.join(", #")}): ${reason}. List them with GET /dead-letters or "statefun-ts dead-letters list"; replay with POST /dead-letters/<n>/replay`,
    );
    this.hooks.onFailure?.(address, error);
    const letters = numbers.map((n) => ({ n, target: address, reason, attempts }));
    this.hooks.onDeadLetter?.(letters);
    this.observe((o) => o.deadLettered?.(letters));
    return true;
  }

  private scheduleRetry(address: AddressKey, key: string, error: unknown): void {
    const count = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, count);
    const { retry } = this.settings;
    const wait = Math.min(retry.initialMs * 2 ** Math.min(count - 1, 30), retry.maxMs);
    let queued = "";
    try {
      queued = ` (${this.store.queueLength(address)} message(s) queued for this address)`;
    } catch {
      // The count is for the log line only; the store may be the thing failing.
    }
    this.log(
      "error",
      `FAILED ${key}: ${describeError(error)}. The batch is kept${queued}; retry #${count} in ${wait} ms`,
    );
    const timer = this.settings.clock.schedule(wait, () => {
      this.retryTimers.delete(key);
      this.kick(address);
    });
    this.retryTimers.set(key, timer);
    this.hooks.onFailure?.(address, error);
  }

  private async deliver(
    address: AddressKey,
    batch: QueuedMessage[],
    url: string,
    endpoint: FunctionEndpoint,
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
      const request = encodeToFunction(
        address,
        [...registered].map(([name, state]) => ({
          name,
          typename: state.typename,
          value: values.get(name),
        })),
        batch,
      );
      const replyBytes = await this.transport.call(
        { url, functionType, body: request },
        {
          callTimeoutMs: endpoint.callTimeoutMs,
          connectTimeoutMs: endpoint.connectTimeoutMs,
          tls: endpoint.tls,
          signal: this.abort.signal,
          onRetry: (_attempt, reason) =>
            this.log("warn", `call to ${key} at ${url} failed (${reason}); retrying`),
        },
      );
      if (this.closed) throw new ShutdownError("the runtime is shutting down");
      let reply: FromFunctionReply;
      try {
        reply = decodeFromFunction(replyBytes);
      } catch (error) {
        throw new ReplyRejectedError(
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
        // Another address of the type may have registered them meanwhile: nothing new to say.
        if (added > 0)
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
      this.observe((o) => o.replyApplying?.(effects));
      const applied = await this.commitReply(effects);
      if (this.closed && !applied.ok) throw new ShutdownError("the runtime is shutting down");
      if (!applied.ok) {
        if (applied.error instanceof DuplicateTokenError) {
          throw new ReplyRejectedError(`function ${key} replied with ${applied.error.message}`);
        }
        throw applied.error;
      }
      this.observe((o) => o.replyApplied?.(effects, applied.egress));
      if (applied.egress.length > 0) this.hooks.onEgress(applied.egress);
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
