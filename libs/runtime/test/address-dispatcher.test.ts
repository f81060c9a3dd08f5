// The address dispatcher on its own, over a real in-memory store, with the SDK's real handler
// called in process and a clock moved by hand: one call in flight per address, batches within a
// count and a byte budget, refused batches halved to find the message at fault, dead letters
// after the configured attempts, capped exponential backoff, the state handshake and its bound,
// the hooks and the observer, egress kinds, and shutdown.
import {
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { fromFunctionCodec } from "@statefun-ts/sdk/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  AddressDispatcher,
  addressText,
  type DispatcherSettings,
  permanentFailure,
  SLOW_CALL_MS,
} from "../src/address-dispatcher.js";
import {
  type AddressKey,
  type AppliedReply,
  DurableStore,
  type QueuedMessage,
  type ReplyEffects,
  type StoredEgressRecord,
} from "../src/durable-store.js";
import { FunctionCallError, ReplyRejectedError } from "../src/errors.js";
import type { CallOptions, FunctionTransport } from "../src/function-transport.js";
import { inProcessTransport } from "../src/in-process-transport.js";
import { parseModuleYaml } from "../src/module-yaml.js";
import type { DeadLetterEvent, RuntimeObserver } from "../src/runtime-observer.js";
import { StateRegistry } from "../src/state-registry.js";
import { ManualClock } from "./manual-clock.js";

const COUNTER = typeNameFrom("t.fns/counter");
const ECHO = typeNameFrom("t.fns/echo");
const count = { name: "count", valueType: StringType };

/** What the counter does, by message text: counts, and more for a few words. */
let failing = false;
const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: COUNTER,
    states: [count],
    function: (ctx, message) => {
      if (failing) throw new Error("counter exploded");
      const text = message.asString();
      const n = Number(ctx.storage.get(count) ?? "0") + 1;
      ctx.storage.set(count, `${n}`);
      ctx.sendEgress(
        new KafkaEgressBuilder({
          target: typeNameFrom(text === "undeclared" ? "t.io/other" : "t.io/out"),
          topic: "counts",
          value: `${ctx.self.id}:${text}`,
        }),
      );
      if (text === "poison") {
        ctx.send({ target: { functionType: typeNameFrom("t.unserved/x"), id: "1" }, value: "x" });
      }
      if (text === "forward")
        ctx.send({ target: { functionType: ECHO, id: ctx.self.id }, value: "hi" });
      if (text === "later") {
        ctx.sendAfterWithCancellationToken(1_000, "tok", { target: ctx.self, value: "tick" });
      }
    },
  })
  .withSpec({
    functionType: ECHO,
    function: (ctx, message) => {
      ctx.sendEgress(
        new KafkaEgressBuilder({
          target: typeNameFrom("t.io/out"),
          topic: "echoes",
          value: `${ctx.self.id}:${message.asString()}`,
        }),
      );
    },
  })
  .asHandler();

function moduleOf(batch: number, extra = ""): ReturnType<typeof parseModuleYaml> {
  return parseModuleYaml(`kind: io.statefun.endpoints.v2/http
spec:
  functions: t.fns/*
  urlPathTemplate: http://in-process.invalid/{function.name}
  maxNumBatchRequests: ${batch}
${extra}---
kind: io.statefun.kafka.v1/egress
spec:
  id: t.io/out
  address: kafka:9092
`);
}

/** Lets pending promise callbacks and I/O of this turn run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const at = (id: string): AddressKey => ({ namespace: "t.fns", type: "counter", id });
const text = (value: Uint8Array) => new TextDecoder().decode(value);
const str = (s: string) => ({
  typename: "io.statefun.types/string",
  hasValue: true,
  value: StringType.serialize(s),
});

interface Setup {
  readonly store: DurableStore;
  readonly clock: ManualClock;
  readonly dispatcher: AddressDispatcher;
  readonly logs: string[];
  /** The message texts of each call, in call order, as "id:text,text". */
  readonly calls: string[];
  readonly failures: string[];
  readonly dead: DeadLetterEvent[][];
  readonly egress: StoredEgressRecord[][];
  readonly events: string[];
  readonly signals: AbortSignal[];
  /** The options of each call, without the signal and the retry callback. */
  readonly options: Array<Omit<CallOptions, "signal" | "onRetry">>;
  /** Set: the transport reports a failed attempt with this reason before answering. */
  retryReason: string | undefined;
  delayedScheduled: number;
  /** Set: the transport answers like an endpoint refusing with this HTTP status. */
  status: number | undefined;
  /** Set: the transport waits for it before handing the function's reply back. */
  gate: Promise<void> | undefined;
  enqueue(id: string, ...texts: string[]): void;
  /** The counter's state of an address. */
  counted(id: string): string | undefined;
}

describe("AddressDispatcher", () => {
  const setups: Setup[] = [];
  afterEach(async () => {
    failing = false;
    for (const s of setups.splice(0)) {
      await s.dispatcher.close();
      s.store.close();
    }
  });

  function setup(
    options: {
      batch?: number;
      extra?: string;
      settings?: Partial<DispatcherSettings>;
      store?: DurableStore;
      commit?: (effects: ReplyEffects, store: DurableStore) => Promise<AppliedReply>;
      reply?: (request: Uint8Array) => Uint8Array | undefined;
      observer?: RuntimeObserver;
    } = {},
  ): Setup {
    const store = options.store ?? new DurableStore(":memory:");
    const clock = new ManualClock(10_000);
    const logs: string[] = [];
    const inner = inProcessTransport((type) =>
      type.startsWith("t.fns/") ? handler.invoke : undefined,
    );
    const s: Partial<Setup> & Record<string, unknown> = {
      store,
      clock,
      logs,
      calls: [],
      failures: [],
      dead: [],
      egress: [],
      events: [],
      signals: [],
      options: [],
      retryReason: undefined,
      delayedScheduled: 0,
      status: undefined,
      gate: undefined,
    };
    const self = s as Setup;
    const transport: FunctionTransport = {
      async call(request, callOptions: CallOptions) {
        self.signals.push(callOptions.signal as AbortSignal);
        const { signal: _signal, onRetry, ...rest } = callOptions;
        self.options.push(rest);
        if (self.retryReason !== undefined) onRetry?.(1, self.retryReason);
        // The function answers at once; the gate holds its reply back (a slow network).
        const status = self.status;
        const reply =
          status === undefined
            ? (options.reply?.(request.body) ?? (await inner.call(request, callOptions)))
            : undefined;
        if (self.gate) await self.gate;
        if (reply === undefined) {
          throw new FunctionCallError(`HTTP ${status} from ${request.url}`, status);
        }
        return reply;
      },
      close() {},
    };
    const observer: RuntimeObserver = options.observer ?? {
      callStarted: (address, batch: readonly QueuedMessage[]) =>
        self.calls.push(
          `${address.id}:${batch.map((m) => StringType.deserialize(m.argument.value)).join(",")}`,
        ),
      replyApplying: (effects) => self.events.push(`applying ${effects.self.id}`),
      replyApplied: (effects, egress) =>
        self.events.push(`applied ${effects.self.id} egress ${egress.length}`),
      callFailed: (address, error) =>
        self.events.push(`failed ${address.id} ${(error as Error).name}`),
      deadLettered: (letters) => self.events.push(`dead ${letters.map((l) => l.n).join(",")}`),
    };
    const dispatcher = new AddressDispatcher(
      moduleOf(options.batch ?? 100, options.extra),
      store,
      options.commit
        ? (effects) => options.commit?.(effects, store) as Promise<AppliedReply>
        : async (effects) => store.applyReplies([effects])[0] as AppliedReply,
      transport,
      new StateRegistry(),
      (level, message) => logs.push(`${level} ${message}`),
      {
        retry: { initialMs: 100, maxMs: 1_000 },
        clock,
        keepUnserved: false,
        deadLetterAfter: 2,
        maxBatchBytes: 1 << 20,
        callsPerEndpoint: 0,
        ...options.settings,
      },
      {
        onDelayedScheduled: () => {
          self.delayedScheduled += 1;
        },
        onEgress: (records) => self.egress.push([...records]),
        onFailure: (address, error) => self.failures.push(`${address.id} ${(error as Error).name}`),
        onDeadLetter: (letters) => self.dead.push([...letters]),
        observer,
      },
    );
    Object.assign(s, {
      dispatcher,
      enqueue(id: string, ...texts: string[]) {
        for (const t of texts) store.enqueue(at(id), undefined, str(t), clock.now());
      },
      counted(id: string) {
        const value = store.peekState(at(id), "count", clock.now());
        return value === undefined ? undefined : StringType.deserialize(value);
      },
    });
    setups.push(self);
    return self;
  }

  it("classifies failures that retrying the same batch cannot fix", () => {
    expect(permanentFailure(new ReplyRejectedError("bad"))).toEqual({ perMessage: true });
    expect(permanentFailure(new FunctionCallError("gone", 404))).toEqual({ perMessage: false });
    expect(permanentFailure(new FunctionCallError("bad", 400))).toEqual({ perMessage: true });
    expect(permanentFailure(new FunctionCallError("big", 413))).toEqual({ perMessage: true });
    for (const error of [
      new FunctionCallError("busy", 503),
      new FunctionCallError("auth", 401),
      new FunctionCallError("down"),
      new Error("other"),
      "text",
    ]) {
      expect(permanentFailure(error)).toBeUndefined();
    }
    expect(addressText(at("x"))).toBe("t.fns/counter:x");
  });

  it("sends queued messages in batches of maxNumBatchRequests, one call in flight per address", async () => {
    const s = setup({ batch: 2 });
    s.enqueue("a", "1", "2", "3", "4", "5");
    s.enqueue("b", "6");
    let open: () => void = () => {};
    s.gate = new Promise((resolve) => {
      open = resolve;
    });
    s.dispatcher.kick(at("a"));
    s.dispatcher.kick(at("a"));
    s.dispatcher.kick(at("b"));
    expect(s.dispatcher.busy).toBe(true);
    s.enqueue("a", "7");
    s.gate = undefined;
    open();
    await s.dispatcher.idle();
    expect(s.dispatcher.busy).toBe(false);
    expect(s.calls).toEqual(["a:1,2", "b:6", "a:3,4", "a:5,7"]);
    expect(s.counted("a")).toBe("6");
    expect(s.counted("b")).toBe("1");
    expect(s.store.queueLength()).toBe(0);
    expect(s.failures).toEqual([]);
    // Both first calls (a and b, in flight together) asked for the state; the second found it
    // registered already, which is not logged as a registration.
    expect(s.logs).toEqual([
      "info registered 1 state(s) of t.fns/counter: count (io.statefun.types/string)",
    ]);
    expect(s.egress.map((records) => records.map((r) => text(r.value)))).toEqual([
      ["a:1", "a:2"],
      ["b:6"],
      ["a:3", "a:4"],
      ["a:5", "a:7"],
    ]);
    expect(s.egress[0]?.map((r) => [r.kind, r.egressId, r.offset, r.timestamp])).toEqual([
      ["kafka", "t.io/out", 0, 10_000],
      ["kafka", "t.io/out", 1, 10_000],
    ]);
    expect(s.events.filter((e) => e.endsWith(" a") || e.includes(" a "))).toEqual([
      "applying a",
      "applied a egress 2",
      "applying a",
      "applied a egress 2",
      "applying a",
      "applied a egress 2",
    ]);
    expect(s.delayedScheduled).toBe(0);
  });

  it("with callsPerEndpoint calls in flight, makes other addresses wait and batch what arrives meanwhile", async () => {
    const s = setup({ settings: { callsPerEndpoint: 2 } });
    let open: () => void = () => {};
    s.gate = new Promise((resolve) => {
      open = resolve;
    });
    for (const [id, t] of [
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
      ["d", "4"],
    ] as const) {
      s.enqueue(id, t);
      s.dispatcher.kick(at(id));
    }
    await settle();
    // Two calls in flight; c and d wait, and their batches grow meanwhile.
    expect(s.calls).toEqual(["a:1", "b:2"]);
    s.enqueue("c", "5", "6");
    s.enqueue("d", "7");
    s.gate = undefined;
    open();
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1", "b:2", "c:3,5,6", "d:4,7"]);
    expect(s.counted("c")).toBe("3");
    expect(s.store.queueLength()).toBe(0);
  });

  it("lets a waiting address call once a call in flight is SLOW_CALL_MS old", async () => {
    const s = setup({ settings: { callsPerEndpoint: 1 } });
    let open: () => void = () => {};
    s.gate = new Promise((resolve) => {
      open = resolve;
    });
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    s.enqueue("b", "2");
    s.dispatcher.kick(at("b"));
    await settle();
    expect(s.calls).toEqual(["a:1"]);
    s.clock.advance(SLOW_CALL_MS - 1);
    await settle();
    expect(s.calls).toEqual(["a:1"]);
    s.clock.advance(1);
    await settle();
    // a's call is still held at the gate: b no longer waits for it.
    expect(s.calls).toEqual(["a:1", "b:2"]);
    s.gate = undefined;
    open();
    await s.dispatcher.idle();
    expect(s.store.queueLength()).toBe(0);
  });

  it("keeps a batch within the byte budget of the endpoint, or of the settings when it sets none", async () => {
    // Each message: 3 bytes of value + 24 of typename + 64 = 91 bytes.
    const s = setup({ batch: 100, settings: { maxBatchBytes: 2 * 91 } });
    s.enqueue("a", "1", "2", "3", "4", "5");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1,2", "a:3,4", "a:5"]);

    const e = setup({
      batch: 100,
      extra: "  maxBatchBytes: 273\n",
      settings: { maxBatchBytes: 91 },
    });
    e.enqueue("a", "1", "2", "3", "4", "5");
    e.dispatcher.kick(at("a"));
    await e.dispatcher.idle();
    expect(e.calls).toEqual(["a:1,2,3", "a:4,5"]);
  });

  it("halves a refused batch to find the message at fault, dead-letters it, and grows back", async () => {
    const s = setup({ batch: 4 });
    s.enqueue("a", "1", "poison", "3", "4", "5");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1,poison,3,4", "a:1,poison", "a:1", "a:poison,3", "a:poison"]);
    // First refusal of the single message: a retry after the backoff.
    expect(s.clock.waits).toEqual([100]);
    expect(s.dead).toEqual([]);
    s.clock.advance(100);
    await s.dispatcher.idle();
    // After the dead letter the batch grows back from 1: 1, then 2 (twice 1 is below 4).
    expect(s.calls.slice(5)).toEqual(["a:poison", "a:3", "a:4,5"]);
    const reason =
      "function t.fns/counter:a replied with outgoing message #1 to t.unserved/x, which no endpoint in module.yaml serves; add an io.statefun.endpoints.v2/http endpoint for it";
    expect(s.dead).toEqual([[{ n: 1, target: at("a"), reason, attempts: 2 }]]);
    const letters = s.store.listDeadLetters();
    expect(
      letters.map((l) => [l.n, StringType.deserialize(l.argument.value), l.attempts, l.failedAt]),
    ).toEqual([[1, "poison", 2, 10_100]]);
    expect(letters[0]?.reason).toBe(reason);
    expect(s.counted("a")).toBe("4");
    expect(s.logs.filter((l) => !l.startsWith("info"))).toEqual([
      `warn t.fns/counter:a: a batch of 4 message(s) was refused (${reason}); retrying in batches of 2 to find the message at fault`,
      `warn t.fns/counter:a: a batch of 2 message(s) was refused (${reason}); retrying in batches of 1 to find the message at fault`,
      `warn t.fns/counter:a: a batch of 2 message(s) was refused (${reason}); retrying in batches of 1 to find the message at fault`,
      `error FAILED t.fns/counter:a: ${reason}. The batch is kept (4 message(s) queued for this address); retry #1 in 100 ms`,
      `error DEAD LETTER t.fns/counter:a: 1 message(s) set aside after 2 attempt(s) (#1): ${reason}. List them with GET /dead-letters or "statefun-ts dead-letters list"; replay with POST /dead-letters/<n>/replay`,
    ]);
    expect(s.failures).toEqual(["a ReplyRejectedError", "a ReplyRejectedError"]);
    expect(s.events).toContain("dead 1");
    // Back to full batches.
    s.enqueue("a", "6", "7", "8", "9", "10");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls.slice(8)).toEqual(["a:6,7,8,9", "a:10"]);
  });

  it("doubles the batch after each success until it reaches the endpoint's size again", async () => {
    const s = setup({ batch: 4, settings: { deadLetterAfter: 1 } });
    const rest = Array.from({ length: 14 }, (_, i) => `${i + 3}`);
    s.enqueue("a", "1", "poison", ...rest);
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual([
      "a:1,poison,3,4",
      "a:1,poison",
      "a:1",
      "a:poison,3",
      "a:poison",
      "a:3",
      "a:4,5",
      "a:6,7,8,9",
      "a:10,11,12,13",
      "a:14,15,16",
    ]);
  });

  it("doubles the batch without bound when the endpoint sets none (maxNumBatchRequests 0)", async () => {
    const s = setup({ batch: 0, settings: { deadLetterAfter: 1 } });
    s.enqueue("a", "1", "poison", "3", "4", "5", "6", "7", "8");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual([
      "a:1,poison,3,4,5,6,7,8",
      "a:1,poison,3,4",
      "a:1,poison",
      "a:1",
      "a:poison,3",
      "a:poison",
      "a:3",
      "a:4,5",
      "a:6,7,8",
    ]);
    // Once the queue ran empty, a batch takes everything again.
    s.enqueue("a", ...Array.from({ length: 9 }, (_, i) => `${i + 9}`));
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls.slice(9)).toEqual(["a:9,10,11,12,13,14,15,16,17"]);
  });

  it("starts over at the endpoint's batch size once the queue ran empty after halving", async () => {
    const s = setup({ batch: 8, settings: { deadLetterAfter: 1 } });
    s.enqueue("a", "1", "poison");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1,poison", "a:1", "a:poison"]);
    expect(s.store.listDeadLetters().map((l) => l.attempts)).toEqual([1]);
    s.enqueue("a", "3", "4", "5");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls.slice(3)).toEqual(["a:3,4,5"]);
  });

  it("dead-letters a whole batch the endpoint does not know (404) without halving it", async () => {
    const s = setup({ batch: 10, settings: { deadLetterAfter: 3 } });
    s.enqueue("a", "1", "2", "3");
    s.status = 404;
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    s.clock.advance(100);
    await s.dispatcher.idle();
    s.clock.advance(200);
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1,2,3", "a:1,2,3", "a:1,2,3"]);
    expect(s.clock.waits).toEqual([100, 200]);
    expect(
      s.store
        .listDeadLetters()
        .map((l) => [l.n, StringType.deserialize(l.argument.value), l.attempts]),
    ).toEqual([
      [1, "1", 3],
      [2, "2", 3],
      [3, "3", 3],
    ]);
    expect(s.dead).toEqual([
      [1, 2, 3].map((n) => ({
        n,
        target: at("a"),
        reason: "HTTP 404 from http://in-process.invalid/counter",
        attempts: 3,
      })),
    ]);
    expect(s.logs.at(-1)).toBe(
      'error DEAD LETTER t.fns/counter:a: 3 message(s) set aside after 3 attempt(s) (#1, #2, #3): HTTP 404 from http://in-process.invalid/counter. List them with GET /dead-letters or "statefun-ts dead-letters list"; replay with POST /dead-letters/<n>/replay',
    );
    expect(s.store.queueLength()).toBe(0);
    // A dead letter resets the backoff: the next failure waits the initial time again.
    s.status = 503;
    s.enqueue("a", "4");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.clock.waits).toEqual([100, 200, 100]);
  });

  it("counts attempts per first message: a new first message starts at one", async () => {
    const s = setup({ batch: 1, settings: { deadLetterAfter: 2 } });
    s.enqueue("a", "1", "2");
    s.status = 400;
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    s.clock.advance(100);
    await s.dispatcher.idle();
    // "1" is dead after 2 attempts; "2" has had one attempt and waits for its retry.
    expect(
      s.store.listDeadLetters().map((l) => [StringType.deserialize(l.argument.value), l.attempts]),
    ).toEqual([["1", 2]]);
    expect(s.calls).toEqual(["a:1", "a:1", "a:2"]);
    expect(s.clock.pending).toBe(1);
    s.clock.advance(100);
    await s.dispatcher.idle();
    expect(
      s.store.listDeadLetters().map((l) => [StringType.deserialize(l.argument.value), l.attempts]),
    ).toEqual([
      ["1", 2],
      ["2", 2],
    ]);
  });

  it("retries a failing call with capped exponential backoff, and starts over after a success", async () => {
    const s = setup({ batch: 10 });
    failing = true;
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    for (const wait of [100, 200, 400, 800, 1_000]) {
      // Kicks while waiting do nothing.
      s.dispatcher.kick(at("a"));
      await s.dispatcher.idle();
      s.clock.advance(wait);
      await s.dispatcher.idle();
    }
    expect(s.clock.waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(s.calls.length).toBe(6);
    expect(s.failures).toEqual(Array(6).fill("a FunctionCallError"));
    const errors = s.logs.filter((l) => l.startsWith("error"));
    expect(errors[0]).toBe(
      "error FAILED t.fns/counter:a: t.fns/counter failed in process: function t.fns/counter:a failed on invocation 1 of 1: counter exploded. The batch is kept (1 message(s) queued for this address); retry #1 in 100 ms",
    );
    expect(errors.map((l) => l.replace(/.*; /, ""))).toEqual([
      "retry #1 in 100 ms",
      "retry #2 in 200 ms",
      "retry #3 in 400 ms",
      "retry #4 in 800 ms",
      "retry #5 in 1000 ms",
      "retry #6 in 1000 ms",
    ]);
    expect(s.events[0]).toBe("failed a FunctionCallError");
    expect(s.store.listDeadLetters()).toEqual([]);
    failing = false;
    s.clock.advance(1_000);
    await s.dispatcher.idle();
    expect(s.counted("a")).toBe("1");
    failing = true;
    s.enqueue("a", "2");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.clock.waits.at(-1)).toBe(100);
  });

  it("logs a failure without the queue length when the store cannot count it", async () => {
    class CountlessStore extends DurableStore {
      override queueLength(): number {
        throw new Error("disk I/O error");
      }
    }
    const s = setup({ store: new CountlessStore(":memory:") });
    failing = true;
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.logs.filter((l) => l.startsWith("error"))).toEqual([
      "error FAILED t.fns/counter:a: t.fns/counter failed in process: function t.fns/counter:a failed on invocation 1 of 1: counter exploded. The batch is kept; retry #1 in 100 ms",
    ]);
  });

  it("retries a reply whose transaction failed, and refuses a reply reusing a pending token", async () => {
    let fail = true;
    const s = setup({
      commit: async (effects, store) => {
        if (fail) {
          fail = false;
          return { ok: false, error: new Error("database is locked") };
        }
        return store.applyReplies([effects])[0] as AppliedReply;
      },
      settings: { deadLetterAfter: 1 },
    });
    s.enqueue("a", "later");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.failures).toEqual(["a Error"]);
    expect(s.delayedScheduled).toBe(0);
    s.clock.advance(100);
    await s.dispatcher.idle();
    expect(s.delayedScheduled).toBe(1);
    expect(s.store.delayedCount()).toBe(1);
    s.enqueue("a", "later");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    const [letter] = s.store.listDeadLetters();
    expect(letter?.reason).toBe(
      'function t.fns/counter:a replied with a delayed message with cancellation token "tok" is already pending for sender t.fns/counter:a (due at 1970-01-01T00:00:11.100Z); tokens must be unique among a sender\'s pending messages',
    );
    expect(s.delayedScheduled).toBe(1);
    expect(s.counted("a")).toBe("1");
  });

  it("kicks the targets of a reply's messages", async () => {
    const s = setup();
    s.enqueue("a", "forward");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:forward", "a:hi"]);
    expect(s.store.allRecords().map((r) => [r.topic, text(r.value)])).toEqual([
      ["counts", "a:forward"],
      ["echoes", "a:hi"],
    ]);
    expect(s.store.queueLength()).toBe(0);
  });

  it("records an undeclared egress once with a warning, and no egress without the hook", async () => {
    const s = setup();
    s.enqueue("a", "undeclared", "undeclared");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.logs.filter((l) => l.startsWith("warn"))).toEqual([
      "warn egress t.io/other is not declared in module.yaml; the local runtime records it anyway, but on Flink it must be declared (e.g. kind io.statefun.kafka.v1/egress with id t.io/other)",
    ]);
    expect(s.store.allRecords().map((r) => [r.egressId, r.kind])).toEqual([
      ["t.io/other", "kafka"],
      ["t.io/other", "kafka"],
    ]);

    // A reply without records or delays calls neither hook.
    const quiet = setup({
      reply: () => fromFunctionCodec.encode({ invocationResult: {} }),
    });
    quiet.enqueue("a", "1");
    quiet.dispatcher.kick(at("a"));
    await quiet.dispatcher.idle();
    expect(quiet.egress).toEqual([]);
    expect(quiet.delayedScheduled).toBe(0);
    expect(quiet.store.queueLength()).toBe(0);
  });

  it("calls with the endpoint's timeouts and logs an attempt the transport retries", async () => {
    const s = setup({
      extra:
        "  transport:\n    type: io.statefun.transports.v1/async\n    call: 7s\n    connect: 3s\n",
    });
    s.retryReason = "connection reset";
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.options[0]).toEqual({ callTimeoutMs: 7_000, connectTimeoutMs: 3_000, tls: undefined });
    expect(s.logs.filter((l) => l.startsWith("warn"))).toEqual([
      "warn call to t.fns/counter:a at http://in-process.invalid/counter failed (connection reset); retrying",
      "warn call to t.fns/counter:a at http://in-process.invalid/counter failed (connection reset); retrying",
    ]);
    expect(s.counted("a")).toBe("1");
  });

  it("leaves messages of a type no endpoint serves queued, saying so unless told to keep them", async () => {
    const s = setup();
    const unserved = { namespace: "t.other", type: "x", id: "1" };
    s.store.enqueue(unserved, undefined, str("1"), 1);
    s.dispatcher.kick(unserved);
    await s.dispatcher.idle();
    expect(s.logs).toEqual([
      "error messages queued for t.other/x:1 stay queued: no endpoint in module.yaml serves t.other/x",
    ]);
    expect(s.store.queueLength()).toBe(1);
    const kept = setup({ settings: { keepUnserved: true } });
    kept.store.enqueue(unserved, undefined, str("1"), 1);
    kept.dispatcher.kick(unserved);
    await kept.dispatcher.idle();
    expect(kept.logs).toEqual([]);
    // keepUnserved also lets a reply send to an unserved type: "poison" is then accepted.
    kept.enqueue("a", "poison");
    kept.dispatcher.kick(at("a"));
    await kept.dispatcher.idle();
    expect(
      kept.store.queuedMessages().map((m) => `${m.target.namespace}/${m.target.type}`),
    ).toEqual(["t.other/x", "t.unserved/x"]);
  });

  it("refuses a reply that is not a FromFunction message", async () => {
    const s = setup({
      reply: () => new Uint8Array([0xff, 0xff, 0xff]),
      settings: { deadLetterAfter: 1 },
    });
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.store.listDeadLetters()[0]?.reason).toMatch(
      /^the reply of t\.fns\/counter:a at http:\/\/in-process\.invalid\/counter is not a FromFunction message: ./,
    );
  });

  it("gives up on a function that keeps asking for states after three registration rounds", async () => {
    let rounds = 0;
    const s = setup({
      reply: () => {
        rounds += 1;
        return fromFunctionCodec.encode({
          incompleteInvocationContext: {
            missingValues: [
              { stateName: `s${rounds}`, typeTypename: "t/x" },
              { stateName: "z", typeTypename: "t/y" },
            ],
          },
        });
      },
      settings: { deadLetterAfter: 1 },
    });
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(rounds).toBe(4);
    expect(s.store.listDeadLetters()[0]?.reason).toBe(
      "function t.fns/counter:a still reports missing states (s4, z) after 3 registration rounds",
    );
    expect(s.logs.slice(0, 3)).toEqual([
      "info registered 2 state(s) of t.fns/counter: s1 (t/x), z (t/y)",
      "info registered 1 state(s) of t.fns/counter: s2 (t/x), z (t/y)",
      "info registered 1 state(s) of t.fns/counter: s3 (t/x), z (t/y)",
    ]);
  });

  it("logs an observer that throws and goes on delivering", async () => {
    const s = setup({
      observer: {
        callStarted: () => {
          throw new Error("observer broke");
        },
      },
    });
    s.enqueue("a", "1");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.counted("a")).toBe("1");
    expect(s.logs.filter((l) => l.startsWith("warn"))).toEqual([
      "warn runtime observer failed: observer broke",
    ]);
  });

  it("on close, aborts calls, applies no late reply, cancels retries and starts nothing", async () => {
    const s = setup();
    s.enqueue("a", "1");
    s.enqueue("b", "1");
    failing = true;
    s.dispatcher.kick(at("b"));
    await s.dispatcher.idle();
    expect(s.clock.pending).toBe(1);
    failing = false;
    let open: () => void = () => {};
    s.gate = new Promise((resolve) => {
      open = resolve;
    });
    s.dispatcher.kick(at("a"));
    await new Promise((resolve) => setImmediate(resolve));
    let done = false;
    const closed = s.dispatcher.close().then(() => {
      done = true;
    });
    expect(s.signals.at(-1)?.aborted).toBe(true);
    expect(s.clock.pending).toBe(0);
    // close() waits for the call in flight; its reply arrives after close and is not applied.
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    open();
    await closed;
    expect(s.dispatcher.busy).toBe(false);
    expect(s.counted("a")).toBeUndefined();
    expect(s.store.queueLength()).toBe(2);
    expect(s.failures).toEqual(["b FunctionCallError"]);
    s.gate = undefined;
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["b:1", "a:1"]);
  });

  it("on close during a call that fails with the abort, schedules no retry and reports nothing", async () => {
    const s = setup();
    s.enqueue("a", "1");
    let fail: (error: Error) => void = () => {};
    s.gate = new Promise((_resolve, reject) => {
      fail = reject;
    });
    s.dispatcher.kick(at("a"));
    const closed = s.dispatcher.close();
    fail(new FunctionCallError("call aborted: the runtime is shutting down"));
    await closed;
    expect(s.failures).toEqual([]);
    expect(s.events).toEqual([]);
    expect(s.clock.pending).toBe(0);
    expect(s.logs).toEqual([]);
  });

  it("stops after the batch whose reply committed while it was closing", async () => {
    let dispatcher: AddressDispatcher | undefined;
    const s = setup({
      batch: 1,
      commit: async (effects, store) => {
        void dispatcher?.close();
        return store.applyReplies([effects])[0] as AppliedReply;
      },
    });
    dispatcher = s.dispatcher;
    s.enqueue("a", "1", "2");
    s.dispatcher.kick(at("a"));
    await s.dispatcher.idle();
    expect(s.calls).toEqual(["a:1"]);
    expect(s.counted("a")).toBe("1");
    expect(s.store.queueLength()).toBe(1);
    // The reply committed: its egress is reported as any other.
    expect(s.egress.map((records) => records.map((r) => text(r.value)))).toEqual([["a:1"]]);
    expect(s.events).toEqual(["applying a", "applied a egress 1"]);
  });
});
