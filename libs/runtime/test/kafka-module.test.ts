// The Kafka components of a module.yaml as the local runtime's Kafka connectors read them:
// StateFun 3.3's fields and defaults, and errors that name the document and the field.
import { describe, expect, it } from "vitest";
import { ModuleYamlError, parseKafkaModule, startRuntime } from "../src/index.js";

const GREETER = `kind: io.statefun.endpoints.v2/http
spec:
  functions: com.example.fns/*
  urlPathTemplate: http://127.0.0.1:1/statefun
---
kind: io.statefun.kafka.v1/ingress
spec:
  id: com.example/names
  address: kafka-broker:9092
  consumerGroupId: greeter
  startupPosition:
    type: group-offsets
  autoOffsetResetPosition: earliest
  topics:
    - topic: names
      valueType: com.example/GreetRequest
      targets:
        - com.example.fns/greeter
---
kind: io.statefun.kafka.v1/egress
spec:
  id: com.example/greets
  address: kafka-broker:9092
  deliverySemantic:
    type: exactly-once
    transactionTimeout: 15min
`;

describe("parseKafkaModule", () => {
  it("reads the greeter's Kafka ingress and egress", () => {
    expect(parseKafkaModule(GREETER)).toEqual({
      ingresses: [
        {
          id: "com.example/names",
          address: "kafka-broker:9092",
          consumerGroupId: "greeter",
          startupPosition: "group-offsets",
          autoOffsetResetPosition: "earliest",
          topics: [
            {
              topic: "names",
              valueType: "com.example/GreetRequest",
              targets: [{ namespace: "com.example.fns", type: "greeter" }],
            },
          ],
          source: "module.yaml, document 2 (kind io.statefun.kafka.v1/ingress)",
        },
      ],
      egresses: [
        {
          id: "com.example/greets",
          address: "kafka-broker:9092",
          deliverySemantic: "exactly-once",
          source: "module.yaml, document 3 (kind io.statefun.kafka.v1/egress)",
        },
      ],
    });
  });

  it("takes StateFun's defaults: latest start, at-least-once egress, no group id", () => {
    const parsed = parseKafkaModule(`kind: io.statefun.kafka.v1/ingress
spec:
  id: a/in
  topics:
    - topic: t
      valueType: a/T
      targets: [a/f, a/g]
---
kind: io.statefun.kafka.v1/egress
spec:
  id: a/out
`);
    expect(parsed.ingresses[0]).toMatchObject({
      startupPosition: "latest",
      autoOffsetResetPosition: "latest",
      consumerGroupId: undefined,
      address: undefined,
    });
    expect(parsed.ingresses[0]?.topics[0]?.targets).toHaveLength(2);
    expect(parsed.egresses[0]?.deliverySemantic).toBe("at-least-once");
  });

  it.each([
    [
      "a target that is not a typename",
      "targets: [greeter]",
      'field "targets[0]" must be a typename',
    ],
    ["no targets", "targets: []", 'field "targets" must list function types'],
    ["a valueType that is not a typename", "valueType: GreetRequest", 'field "valueType"'],
  ])("names the document and field for %s", (_, line, message) => {
    const text = GREETER.replace(
      line.startsWith("valueType")
        ? "valueType: com.example/GreetRequest"
        : /targets:\n\s+- com\.example\.fns\/greeter/,
      line,
    );
    expect(() => parseKafkaModule(text)).toThrow(ModuleYamlError);
    expect(() => parseKafkaModule(text)).toThrow(
      new RegExp(
        `module\\.yaml, document 2 \\(kind io\\.statefun\\.kafka\\.v1/ingress\\), topics\\[0\\]: ${message.replace(/[[\]().]/g, "\\$&")}`,
      ),
    );
  });

  it("refuses an unknown delivery semantic", () => {
    expect(() => parseKafkaModule(GREETER.replace("type: exactly-once", "type: twice"))).toThrow(
      /document 3 .*deliverySemantic\.type" must be at-least-once, exactly-once or none, got "twice"/,
    );
  });
});

describe("the runtime's Kafka switch", () => {
  it("is off by default: the module's Kafka ingress is accepted and unused", async () => {
    const runtime = await startRuntime({
      module: GREETER,
      stateFile: ":memory:",
      ingressPort: 0,
      egressPort: 0,
      log: () => {},
    });
    try {
      expect(runtime.kafkaStatus()).toBeUndefined();
    } finally {
      await runtime.close();
    }
  });

  it("refuses a Kafka ingress routed to a function type no endpoint serves", async () => {
    await expect(
      startRuntime({
        module: GREETER.replace("- com.example.fns/greeter", "- other.ns/greeter"),
        stateFile: ":memory:",
        ingressPort: 0,
        egressPort: 0,
        kafka: "127.0.0.1:1",
        log: () => {},
      }),
    ).rejects.toThrow(
      /routes topic names to other\.ns\/greeter, which no endpoint of the module serves/,
    );
  });

  it("says which broker it cannot reach", async () => {
    await expect(
      startRuntime({
        module: GREETER,
        stateFile: ":memory:",
        ingressPort: 0,
        egressPort: 0,
        kafka: "127.0.0.1:1",
        log: () => {},
      }),
    ).rejects.toThrow(
      /cannot connect to Kafka at 127\.0\.0\.1:1: .*check --kafka \/ STATEFUN_KAFKA_BOOTSTRAP/,
    );
  }, 60_000);
});
