// The test environment: the runtime core in process with a virtual clock, and the calls a test
// makes on it (send, advance, state, egress, sentTo). Holds no encoding of its own: messages are
// built with the SDK's public Message.of, and everything else goes through the runtime core.

import {
  type AddressKey,
  type FunctionCallError,
  inProcessTransport,
  RuntimeCore,
  type RuntimeLog,
  type StoredValue,
} from "@statefun-ts/runtime";
import {
  type Address,
  formatAddress,
  Message,
  type MessageBuilder,
  type TypeName,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { type EgressRecord, egressRecord } from "./egress-record.js";
import { FunctionFailedError, TestEnvironmentError } from "./errors.js";
import { type FunctionsUnderTest, servedFunctions } from "./functions-under-test.js";
import { VirtualClock } from "./virtual-clock.js";

/** Options of {@link createTestEnvironment}. */
export interface TestEnvironmentOptions {
  /** The functions under test: their specs, or `{ handler, functionTypes }`. */
  readonly functions: FunctionsUnderTest;
  /** Virtual time at the start, in ms since the epoch (default 2025-01-01T00:00:00Z). */
  readonly startTime?: number;
  /** Backoff before a failed batch is retried, in virtual ms (default 1 s, doubling up to 60 s). */
  readonly retry?: {
    /** The first wait, in virtual ms (default 1000). */
    readonly initialMs?: number;
    /** The longest wait, in virtual ms (default 60000). */
    readonly maxMs?: number;
  };
  /**
   * Egresses as module.yaml declares them, id to kind (e.g. `{ "com.example/greets": "kafka" }`):
   * a record of the wrong kind then fails the function as on Flink. Undeclared ids are accepted.
   */
  readonly egresses?: Readonly<Record<string, "kafka" | "kinesis">>;
  /** Where the runtime logs (default: nowhere; failures surface as rejected promises). */
  readonly log?: RuntimeLog;
}

/** A message a function sent to a function type the environment does not serve. */
export interface SentMessage {
  /** The function instance it was sent to. */
  readonly target: Address;
  /** The sender; `undefined` for a message sent with {@link TestEnvironment.send}. */
  readonly caller: Address | undefined;
  /** The message, read as a function would (`asString()`, `as(type)`, ...). */
  readonly message: Message;
}

/**
 * The local runtime in process, for tests: the functions under test are called with real
 * ToFunction/FromFunction bytes (state handshake, batching, state, delayed messages with
 * cancellation, TTL and egress behave as on the local runtime) with no HTTP, in-memory state and
 * a virtual clock.
 */
export interface TestEnvironment {
  /** Current virtual time, ms since the epoch. */
  readonly now: number;
  /**
   * Sends a message as an ingress would (no caller), then runs until nothing is left to do now:
   * every message it causes is delivered; delayed messages wait for {@link advance}. Rejects with
   * a {@link FunctionFailedError} when a function failed meanwhile.
   */
  send<T>(message: MessageBuilder<T>): Promise<void>;
  /**
   * Moves virtual time forward by `ms`, firing delayed messages (and retries) when they fall due
   * and delivering what they cause; TTL-expired state is gone afterwards. Rejects with a
   * {@link FunctionFailedError} when a function failed meanwhile.
   */
  advance(ms: number): Promise<void>;
  /** The stored value of a state of an address; `undefined` when never set, removed or expired. */
  state<T>(address: Address, spec: ValueSpec<T>): T | undefined;
  /** The records written to an egress (by id, e.g. `"com.example/greets"`), oldest first. */
  egress(egressId: TypeName | string): EgressRecord[];
  /** Messages sent to a function type the environment does not serve, oldest first. */
  sentTo(functionType: TypeName | string): SentMessage[];
  /** Delayed messages not yet due (cancelled ones excluded). */
  readonly pendingDelayed: number;
  /** Releases the environment; it cannot be used afterwards. */
  close(): Promise<void>;
}

const DEFAULT_START = Date.UTC(2025, 0, 1);

/** Creates an in-process environment serving `options.functions`. */
export async function createTestEnvironment(
  options: TestEnvironmentOptions,
): Promise<TestEnvironment> {
  const served = servedFunctions(options.functions, options.egresses ?? {});
  const clock = new VirtualClock(options.startTime ?? DEFAULT_START);
  const failures: FunctionFailedError[] = [];
  const core = new RuntimeCore({
    module: served.module,
    stateFile: ":memory:",
    log: options.log ?? (() => {}),
    ...(options.retry ? { retry: checkedRetry(options.retry) } : {}),
    transport: inProcessTransport(() => served.invoke),
    clock,
    keepUnserved: true,
    // Every address with messages is called at once, as on Flink: no adaptive batching, which
    // would make batches depend on timing and wait on the virtual clock.
    callsPerEndpoint: 0,
    onFailure: (address, error) => failures.push(failedError(address, error)),
  });
  core.start();
  let closed = false;

  const isServed = (namespace: string, type: string): boolean =>
    core.module.endpoints.some(
      (e) => e.namespace === namespace && (e.name === undefined || e.name === type),
    );
  const open = (what: string): void => {
    if (closed) {
      throw new TestEnvironmentError(`${what}: the test environment is closed; create a new one`);
    }
  };
  // Runs until nothing is left to do at the current time, then reports failures.
  const settle = async (): Promise<void> => {
    await core.idle();
    while (clock.fireNext(clock.now())) await core.idle();
    const [first, ...more] = failures.splice(0);
    if (!first) return;
    if (more.length === 0) throw first;
    const others = more.map((f) => formatAddress(f.address)).join(", ");
    throw new FunctionFailedError(
      `${first.message} (and ${more.length} more failure(s), of ${others})`,
      first.address,
      { cause: first.cause },
    );
  };

  return {
    get now() {
      return clock.now();
    },
    get pendingDelayed() {
      open("pendingDelayed");
      return core.stats().delayed;
    },
    async send<T>(message: MessageBuilder<T>): Promise<void> {
      open("send");
      const target = checkedTarget(message?.target, "send");
      if (!isServed(target.namespace, target.type)) {
        throw new TestEnvironmentError(
          `send to ${target.namespace}/${target.type}: no function under test serves that type (served: ${served.module.endpoints.map((e) => `${e.namespace}/${e.name ?? "*"}`).join(", ")}); add its spec to createTestEnvironment({ functions })`,
        );
      }
      core.enqueue(target, typedValue(message, `send to ${formatAddress(message.target)}`));
      await settle();
    },
    async advance(ms: number): Promise<void> {
      open("advance");
      if (!Number.isFinite(ms) || ms < 0) {
        throw new TestEnvironmentError(
          `advance(${ms}): the time to advance must be a finite number of milliseconds >= 0`,
        );
      }
      const until = clock.now() + ms;
      await settle();
      while (clock.fireNext(until)) await core.idle();
      clock.moveTo(until);
      await settle();
    },
    state<T>(address: Address, spec: ValueSpec<T>): T | undefined {
      open("state");
      const key = checkedTarget(address, "state");
      const bytes = core.readState(key, spec.name);
      return bytes === undefined ? undefined : spec.valueType.deserialize(bytes);
    },
    egress(egressId: TypeName | string): EgressRecord[] {
      open("egress");
      const id = egressId.toString();
      return core
        .egressRecords()
        .filter((record) => record.egressId === id)
        .map(egressRecord);
    },
    sentTo(functionType: TypeName | string): SentMessage[] {
      open("sentTo");
      const type = functionType.toString();
      const [namespace = "", name = ""] = type.split("/");
      if (isServed(namespace, name)) {
        throw new TestEnvironmentError(
          `sentTo(${type}): that function type is served by the environment, so its messages are delivered, not collected; check its state or what it sends instead`,
        );
      }
      return core
        .queuedMessages()
        .filter((m) => `${m.target.namespace}/${m.target.type}` === type)
        .map((m) => ({
          target: toAddress(m.target),
          caller: m.caller ? toAddress(m.caller) : undefined,
          message: new Message(m.argument.typename, m.argument.value),
        }));
    },
    async close(): Promise<void> {
      closed = true;
      await core.close();
    },
  };
}

function checkedTarget(address: Address | undefined, where: string): AddressKey {
  const type = address?.functionType;
  if (
    typeof type?.namespace !== "string" ||
    typeof type.name !== "string" ||
    typeof address?.id !== "string"
  ) {
    throw new TestEnvironmentError(
      `${where}: the address must be { functionType: TypeName, id: string }, e.g. { functionType: typeNameFrom("com.example.fns/greeter"), id: "Alice" }`,
    );
  }
  return { namespace: type.namespace, type: type.name, id: address.id };
}

function toAddress(key: AddressKey): Address {
  return { functionType: typeNameFrom(`${key.namespace}/${key.type}`), id: key.id };
}

/** The message as the runtime stores it, encoded as `ctx.send` encodes it (the SDK's Message.of). */
function typedValue<T>(message: MessageBuilder<T>, where: string): StoredValue {
  let built: Message;
  try {
    built =
      message.valueType === undefined
        ? Message.of(message.value)
        : Message.of(message.value, message.valueType);
  } catch (error) {
    throw new TestEnvironmentError(
      `${where}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { typename: built.valueTypeName().toString(), hasValue: true, value: built.rawValue() };
}

function checkedRetry(retry: NonNullable<TestEnvironmentOptions["retry"]>) {
  for (const [name, ms] of Object.entries(retry)) {
    if (ms !== undefined && (!Number.isFinite(ms) || ms < 1)) {
      throw new TestEnvironmentError(
        `createTestEnvironment: retry.${name} is ${ms}; it must be at least 1 ms`,
      );
    }
  }
  return retry;
}

function failedError(address: AddressKey, error: unknown): FunctionFailedError {
  const where = formatAddress(address);
  // The in-process transport wraps what the handler threw; report the handler's own error.
  const cause = (error as FunctionCallError | undefined)?.cause ?? error;
  const text = cause instanceof Error ? cause.message : String(cause);
  const message = text.includes(where) ? text : `function ${where} failed: ${text}`;
  return new FunctionFailedError(message, toAddress(address), { cause });
}
