// The runtime core without sockets: functions called in process through the real handler bytes,
// state in memory, time from an injected clock; and startRuntime on a ":memory:" store.
import {
  Int32Type,
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  inProcessTransport,
  parseModuleYaml,
  RuntimeCore,
  type RuntimeCoreOptions,
  startRuntime,
} from "../src/index.js";
import { memoryLog, moduleYaml, send, serve, waitForRecords } from "./harness.js";
import { ManualClock } from "./manual-clock.js";

const COUNTER = typeNameFrom("core.fns/counter");
const AUDIT = typeNameFrom("core.audit/log");
const count = { name: "count", valueType: Int32Type };

const handler = statefulFunctionsBuilder()
  .withSpec({
    functionType: COUNTER,
    states: [count],
    function: (ctx, message) => {
      const n = (ctx.storage.get(count) ?? 0) + 1;
      ctx.storage.set(count, n);
      ctx.sendEgress(
        new KafkaEgressBuilder({
          target: typeNameFrom("core.io/out"),
          topic: "counts",
          value: `${n}`,
        }),
      );
      if (message.asString() === "audit") {
        ctx.send({ target: { functionType: AUDIT, id: ctx.self.id }, value: "counted" });
      }
      if (message.asString() === "later") {
        ctx.sendAfter(1_000, { target: ctx.self, value: "tick" });
      }
    },
  })
  .asHandler();

// The in-process transport picks the handler by function type; the URL is never dialled.
const module = parseModuleYaml(moduleYaml("core.fns", "http://in-process.invalid/statefun"));

const at = { namespace: "core.fns", type: "counter", id: "c" };
const text = (value: Uint8Array) => new TextDecoder().decode(value);

describe("RuntimeCore", () => {
  const cores: RuntimeCore[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
  });
  function core(options: Partial<RuntimeCoreOptions> = {}): RuntimeCore {
    const created = new RuntimeCore({
      module,
      stateFile: ":memory:",
      log: () => {},
      transport: inProcessTransport((type) =>
        type === "core.fns/counter" ? handler.invoke : undefined,
      ),
      ...options,
    });
    created.start();
    cores.push(created);
    return created;
  }

  it("delivers in process, keeps state in memory and stamps records with the injected clock", async () => {
    const clock = new ManualClock(5_000);
    const c = core({ clock });
    c.enqueue(at, {
      typename: "io.statefun.types/string",
      hasValue: true,
      value: StringType.serialize("later"),
    });
    await c.idle();
    expect(Int32Type.deserialize(c.readState(at, "count") ?? new Uint8Array())).toBe(1);
    expect(c.stats()).toEqual({ queued: 0, delayed: 1, deadLetters: 0 });

    clock.advance(999);
    await c.idle();
    expect(c.stats().delayed).toBe(1);
    clock.advance(1);
    await c.idle();
    expect(c.egressRecords("counts").map((r) => [text(r.value), r.timestamp])).toEqual([
      ["1", 5_000],
      ["2", 6_000],
    ]);
    expect(c.egressRecords().length).toBe(2);
  });

  it("refuses a callsPerEndpoint that is not a whole number of 0 or more, naming the option", () => {
    for (const bad of [Number.NaN, -1, 1.5]) {
      expect(() => core({ callsPerEndpoint: bad })).toThrow(
        `callsPerEndpoint ${bad} is not a whole number of 0 or more`,
      );
    }
  });

  it("rejects a message to an unserved type unless told to keep it queued", async () => {
    const logs = memoryLog();
    const failures: string[] = [];
    const strict = core({
      log: logs.log,
      retry: { initialMs: 60_000 },
      onFailure: (address, error) => failures.push(`${address.id}: ${(error as Error).name}`),
    });
    const audit = {
      typename: "io.statefun.types/string",
      hasValue: true,
      value: StringType.serialize("audit"),
    };
    strict.enqueue(at, audit);
    await strict.idle();
    expect(failures).toEqual(["c: ReplyRejectedError"]);
    expect(strict.readState(at, "count")).toBeUndefined();
    expect(strict.queuedMessages()).toHaveLength(1);

    const lenient = core({ keepUnserved: true });
    lenient.enqueue(at, audit);
    await lenient.idle();
    expect(lenient.queuedMessages().map((m) => [m.target, m.caller])).toEqual([
      [
        { namespace: "core.audit", type: "log", id: "c" },
        { namespace: "core.fns", type: "counter", id: "c" },
      ],
    ]);
  });

  it("fails the call with the handler's error as the cause", async () => {
    const failures: unknown[] = [];
    const broken = core({
      retry: { initialMs: 60_000 },
      transport: inProcessTransport(() => async () => {
        throw new Error("handler exploded");
      }),
      onFailure: (_address, error) => failures.push(error),
    });
    broken.enqueue(at, {
      typename: "io.statefun.types/string",
      hasValue: true,
      value: new Uint8Array(),
    });
    await broken.idle();
    const error = failures[0] as Error;
    expect(error.name).toBe("FunctionCallError");
    expect(error.message).toBe("core.fns/counter failed in process: handler exploded");
    expect((error.cause as Error).message).toBe("handler exploded");
  });
});

describe("startRuntime with a :memory: store", () => {
  it("runs end to end over HTTP with the state in memory", async () => {
    const functions = await serve(handler);
    const runtime = await startRuntime({
      module: moduleYaml("core.fns", `${functions.url}/statefun`),
      stateFile: ":memory:",
      ingressPort: 0,
      egressPort: 0,
      log: () => {},
    });
    try {
      expect(runtime.stateFile).toBe(":memory:");
      for (const body of ["one", "two"]) {
        expect((await send(runtime, "core.fns/counter/x", body)).status).toBe(202);
      }
      const records = await waitForRecords(runtime.egressUrl, "counts", 2);
      expect(records.map((r) => r.value)).toEqual(["1", "2"]);
    } finally {
      await runtime.close();
      await functions.close();
    }
  });
});
