// The greeter run in process with @statefun-ts/testing (the test kit in use): counts per person
// and the inbox's Kafka egress, with the state handshake happening behind the scenes as on Flink.
import { createTestEnvironment, type TestEnvironment } from "@statefun-ts/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  GREETER,
  GREETINGS_TOPIC,
  GREETS_EGRESS,
  greeterHandler,
  greeterSpec,
  INBOX,
  inboxSpec,
  RECENT_LIMIT,
  recentGreetings,
  seenCount,
} from "./index.js";

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("the greeter in a test environment", () => {
  it("counts greetings per person and writes each greeting to the Kafka egress", async () => {
    env = await createTestEnvironment({
      functions: [greeterSpec, inboxSpec],
      // As apps/greeter/module.yaml declares it.
      egresses: { [GREETS_EGRESS.toString()]: "kafka" },
    });
    for (const name of ["Bob", "Alice", "Bob"]) {
      await env.send({ target: { functionType: GREETER, id: name }, value: name });
    }

    expect(env.state({ functionType: GREETER, id: "Bob" }, seenCount)).toBe(2);
    expect(env.state({ functionType: GREETER, id: "Alice" }, seenCount)).toBe(1);
    expect(env.state({ functionType: GREETER, id: "Carol" }, seenCount)).toBeUndefined();
    const records = env.egress(GREETS_EGRESS);
    expect(records.map((r) => [r.kind, r.topic, r.key, r.text()])).toEqual([
      ["kafka", GREETINGS_TOPIC, "Bob", "Hello Bob for the 1th time!"],
      ["kafka", GREETINGS_TOPIC, "Alice", "Hello Alice for the 1th time!"],
      ["kafka", GREETINGS_TOPIC, "Bob", "Hello Bob for the 2th time!"],
    ]);
    expect(env.egress("com.example/other")).toEqual([]);
  });

  it("keeps only the last greetings in the inbox", async () => {
    env = await createTestEnvironment({ functions: [greeterSpec, inboxSpec] });
    for (let i = 0; i < RECENT_LIMIT + 2; i++) {
      await env.send({ target: { functionType: GREETER, id: "Ann" }, value: "Ann" });
    }
    const recent = env.state({ functionType: INBOX, id: "Ann" }, recentGreetings);
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent?.at(0)).toBe("Hello Ann for the 3th time!");
    expect(recent?.at(-1)).toBe(`Hello Ann for the ${RECENT_LIMIT + 2}th time!`);
  });

  it("serves a ready-made handler for the function types it is told about", async () => {
    const lines: string[] = [];
    env = await createTestEnvironment({
      functions: { handler: greeterHandler(), functionTypes: ["com.example.fns/*"] },
      log: (_level, line) => lines.push(line),
    });
    await env.send({ target: { functionType: GREETER, id: "Dana" }, value: "Dana" });

    expect(env.state({ functionType: GREETER, id: "Dana" }, seenCount)).toBe(1);
    expect(env.egress(GREETS_EGRESS).map((r) => r.text())).toEqual([
      "Hello Dana for the 1th time!",
    ]);
    // The first call to each function type went through the missing-state handshake.
    expect(lines).toContain(
      "registered 1 state(s) of com.example.fns/greeter: seen_count (io.statefun.types/int)",
    );
  });
});
