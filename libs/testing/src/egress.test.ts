// Egress records as tests read them: Kafka and Kinesis records decoded into topic/stream, key
// and value; generic records read back with their type; declared egresses checked as on Flink.
import {
  type Context,
  GenericEgressBuilder,
  Int32Type,
  KafkaEgressBuilder,
  KinesisEgressBuilder,
  makeJsonType,
  type StatefulFunctionSpec,
  StringType,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  createTestEnvironment,
  FunctionFailedError,
  type TestEnvironment,
  TestEnvironmentError,
} from "./index.js";

const REPORTER = typeNameFrom("com.example.fns/reporter");
const KAFKA = typeNameFrom("com.example/kafka-out");
const KINESIS = typeNameFrom("com.example/kinesis-out");
const GENERIC = typeNameFrom("com.example/generic-out");

interface Report {
  readonly id: string;
  readonly score: number;
}
const ReportType = makeJsonType<Report>(typeNameFrom("com.example/Report"));

const reporter: StatefulFunctionSpec = {
  functionType: REPORTER,
  function: (ctx: Context) => {
    const report = { id: ctx.self.id, score: 7 };
    ctx.sendEgress(
      new KafkaEgressBuilder({
        target: KAFKA,
        topic: "reports",
        key: ctx.self.id,
        value: report,
        valueType: ReportType,
      }),
    );
    ctx.sendEgress(
      new KinesisEgressBuilder({
        target: KINESIS,
        stream: "scores",
        partitionKey: ctx.self.id,
        value: "seven",
      }),
    );
    ctx.sendEgress(new GenericEgressBuilder({ target: GENERIC, value: 7, valueType: Int32Type }));
  },
};

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe("egress records", () => {
  it("decodes Kafka, Kinesis and generic records", async () => {
    env = await createTestEnvironment({
      functions: [reporter],
      egresses: { [KAFKA.toString()]: "kafka", [KINESIS.toString()]: "kinesis" },
    });
    await env.send({ target: { functionType: REPORTER, id: "r1" }, value: "go" });

    const [kafka] = env.egress(KAFKA);
    expect([kafka?.kind, kafka?.topic, kafka?.key]).toEqual(["kafka", "reports", "r1"]);
    expect(kafka?.as(ReportType)).toEqual({ id: "r1", score: 7 });

    const [kinesis] = env.egress("com.example/kinesis-out");
    expect([kinesis?.kind, kinesis?.topic, kinesis?.key, kinesis?.text()]).toEqual([
      "kinesis",
      "scores",
      "r1",
      "seven",
    ]);

    const [generic] = env.egress(GENERIC);
    expect([generic?.kind, generic?.topic, generic?.key, generic?.typename]).toEqual([
      "generic",
      "com.example/generic-out",
      undefined,
      "io.statefun.types/int",
    ]);
    expect(generic?.as(Int32Type)).toBe(7);
    expect(() => generic?.as(StringType)).toThrow(
      /has a value of type io.statefun.types\/int, not io.statefun.types\/string/,
    );
  });

  it("fails the function when a record does not fit the declared egress kind", async () => {
    env = await createTestEnvironment({
      functions: [reporter],
      egresses: { [KAFKA.toString()]: "kinesis" },
    });
    const sending = env.send({ target: { functionType: REPORTER, id: "r2" }, value: "go" });
    await expect(sending).rejects.toThrow(FunctionFailedError);
    await expect(sending).rejects.toThrow(/to Kinesis egress com.example\/kafka-out/);
    expect(env.egress(KAFKA)).toEqual([]);
  });

  it("refuses an unknown egress kind", async () => {
    await expect(
      createTestEnvironment({
        functions: [reporter],
        egresses: { "com.example/x": "pubsub" as "kafka" },
      }),
    ).rejects.toThrow(TestEnvironmentError);
  });
});
