// Routing by function type, state per address, and the caller handed on.
import {
  Int32Type,
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.js";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serve,
  tempDir,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");

function greeterFunctions() {
  const seen = { name: "seen_count", valueType: Int32Type };
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/greeter"),
      states: [seen],
      function: (ctx, message) => {
        const count = (ctx.storage.get(seen) ?? 0) + 1;
        ctx.storage.set(seen, count);
        ctx.send({
          target: { functionType: typeNameFrom("test.fns/inbox"), id: ctx.self.id },
          value: `Hello ${message.asString()} for the ${count}th time!`,
          valueType: StringType,
        });
      },
    })
    .withSpec({
      functionType: typeNameFrom("test.fns/inbox"),
      states: [],
      function: (ctx, message) => {
        const caller = ctx.caller ? `${ctx.caller.functionType.toString()}/${ctx.caller.id}` : "-";
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "greetings",
            key: ctx.self.id,
            value: `${caller}: ${message.asString()}`,
          }),
        );
      },
    })
    .asHandler();
}

describe("routing and state", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("routes by function type, keeps state per address and hands the caller on", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const functions = await serve(greeterFunctions());
    cleanups.push(functions.close);
    const extra = `---
kind: io.statefun.kafka.v1/egress
spec:
  id: test.io/out
  address: kafka:9092
---
kind: io.statefun.kafka.v1/ingress
spec:
  id: test.io/in
  address: kafka:9092
  topics: []
`;
    const logs = memoryLog();
    const runtime: Runtime = await runtimeFor(
      moduleYaml("test.fns", functions.url, extra),
      `${dir}/state.db`,
      logs,
    );
    cleanups.push(() => runtime.close());

    for (const name of ["Bob", "Alice", "Bob", "Bob"]) {
      expect((await send(runtime, `test.fns/greeter/${name}`, name)).status).toBe(202);
    }
    const records = await waitForRecords(runtime.egressUrl, "greetings", 4);
    const byKey = (key: string) => records.filter((r) => r.key === key).map((r) => r.value);
    expect(byKey("Bob")).toEqual([
      "test.fns/greeter/Bob: Hello Bob for the 1th time!",
      "test.fns/greeter/Bob: Hello Bob for the 2th time!",
      "test.fns/greeter/Bob: Hello Bob for the 3th time!",
    ]);
    expect(byKey("Alice")).toEqual(["test.fns/greeter/Alice: Hello Alice for the 1th time!"]);
    expect(records.every((r) => r.kind === "kafka" && r.egress === "test.io/out")).toBe(true);
    expect(logs.lines.some((l) => l.includes("kind io.statefun.kafka.v1/ingress is ignored"))).toBe(
      true,
    );
    expect(
      logs.lines.some((l) =>
        l.includes('egress test.io/out (kafka) topic=greetings offset=0 key="'),
      ),
    ).toBe(true);
    expect(runtime.stats().queued).toBe(0);

    // State is durable: a new runtime on the same file continues the count.
    await runtime.close();
    const again = await runtimeFor(
      moduleYaml("test.fns", functions.url, extra),
      `${dir}/state.db`,
      logs,
    );
    cleanups.push(() => again.close());
    await send(again, "test.fns/greeter/Bob", "Bob");
    const after = await waitForRecords(again.egressUrl, "greetings", 5);
    expect(after[4]?.value).toBe("test.fns/greeter/Bob: Hello Bob for the 4th time!");
    expect(await listTopic(again.egressUrl, "greetings", 4, 10)).toHaveLength(1);
  });
});
