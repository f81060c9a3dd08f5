// replyEffects on egress messages: Kafka and Kinesis records decoded into topic, key and value
// (an empty key is no key), generic records kept as they are, and the rejections (no topic, no
// stream, undecodable bytes, the item numbers in the messages). Found missing by the mutation
// run (reply-effects.ts: its egress half was reached only by tests that start a runtime).
import { kafkaProducerRecordCodec, kinesisEgressRecordCodec } from "@statefun-ts/sdk/wire";
import { describe, expect, it } from "vitest";
import { ReplyRejectedError } from "../src/errors.js";
import { type ReplyContext, replyEffects } from "../src/reply-effects.js";
import {
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
} from "../src/wire-codec.js";

const self = { namespace: "ns", type: "fn", id: "7" };
const context: ReplyContext = {
  self,
  consumedSeqs: [1],
  states: new Map(),
  isRoutable: () => true,
  egressKind: (id) => (id === "io/kafka" ? "kafka" : id === "io/kinesis" ? "kinesis" : undefined),
  now: 5,
};
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const kafka = (topic: string, key: string, value: number[]) => ({
  typename: KAFKA_PRODUCER_RECORD_TYPENAME,
  hasValue: true,
  value: kafkaProducerRecordCodec.encode({ topic, key, valueBytes: Uint8Array.from(value) }),
});
const kinesis = (stream: string, partitionKey: string, value: number[]) => ({
  typename: KINESIS_EGRESS_RECORD_TYPENAME,
  hasValue: true,
  value: kinesisEgressRecordCodec.encode({
    stream,
    partitionKey,
    explicitHashKey: "",
    valueBytes: Uint8Array.from(value),
  }),
});
const to = (egressNamespace: string, egressType: string, argument: ReturnType<typeof kafka>) => ({
  egressNamespace,
  egressType,
  argument,
});

function rejection(egress: ReturnType<typeof to>[]): string {
  try {
    replyEffects({ outgoingEgresses: egress }, context);
  } catch (error) {
    expect(error).toBeInstanceOf(ReplyRejectedError);
    return (error as Error).message;
  }
  throw new Error("expected a ReplyRejectedError");
}

describe("replyEffects: egress records", () => {
  it("decodes Kafka and Kinesis records (an empty key is no key) and keeps generic ones", () => {
    const generic = { typename: "com.example/Note", hasValue: true, value: Uint8Array.from([9]) };
    const { egress } = replyEffects(
      {
        outgoingEgresses: [
          to("io", "kafka", kafka("greetings", "Bob", [1])),
          to("io", "kafka", kafka("greetings", "", [2])),
          to("io", "kinesis", kinesis("stream-a", "pk", [3])),
          to("io", "kinesis", kinesis("stream-a", "", [4])),
          to("com.example", "notes", generic),
          // a Kafka record to an undeclared egress is still read as one
          to("other", "sink", kafka("t", "k", [5])),
        ],
      },
      context,
    );
    expect(egress.map((r) => ({ ...r, value: hex(r.value) }))).toEqual([
      {
        topic: "greetings",
        kind: "kafka",
        egressId: "io/kafka",
        key: "Bob",
        value: "01",
        typename: KAFKA_PRODUCER_RECORD_TYPENAME,
      },
      {
        topic: "greetings",
        kind: "kafka",
        egressId: "io/kafka",
        key: null,
        value: "02",
        typename: KAFKA_PRODUCER_RECORD_TYPENAME,
      },
      {
        topic: "stream-a",
        kind: "kinesis",
        egressId: "io/kinesis",
        key: "pk",
        value: "03",
        typename: KINESIS_EGRESS_RECORD_TYPENAME,
      },
      {
        topic: "stream-a",
        kind: "kinesis",
        egressId: "io/kinesis",
        key: null,
        value: "04",
        typename: KINESIS_EGRESS_RECORD_TYPENAME,
      },
      {
        topic: "com.example/notes",
        kind: "generic",
        egressId: "com.example/notes",
        key: null,
        value: "09",
        typename: "com.example/Note",
      },
      {
        topic: "t",
        kind: "kafka",
        egressId: "other/sink",
        key: "k",
        value: "05",
        typename: KAFKA_PRODUCER_RECORD_TYPENAME,
      },
    ]);
  });

  it("rejects a Kafka record without a topic and a Kinesis record without a stream, numbered", () => {
    expect(
      rejection([to("io", "kafka", kafka("t", "", [])), to("io", "kafka", kafka("", "k", [1]))]),
    ).toBe("function ns/fn:7 replied with Kafka egress record #2 without a topic");
    expect(rejection([to("io", "kinesis", kinesis("", "pk", [1]))])).toBe(
      "function ns/fn:7 replied with Kinesis egress record #1 without a stream",
    );
  });

  it("rejects record bytes that cannot be decoded, naming the type", () => {
    const broken = {
      typename: KINESIS_EGRESS_RECORD_TYPENAME,
      hasValue: true,
      value: Uint8Array.from([0x0a, 9, 1]),
    };
    expect(
      rejection([to("com.example", "notes", kafka("t", "", [])), to("io", "kinesis", broken)]),
    ).toMatch(
      /^function ns\/fn:7 replied with egress record #2 of type type\.googleapis\.com\/io\.statefun\.sdk\.egress\.KinesisEgressRecord that cannot be decoded: .+/,
    );
  });

  it("numbers delayed messages from 1 in their rejections", () => {
    expect(() =>
      replyEffects(
        {
          delayedInvocations: [
            {
              delayInMs: 1,
              target: { namespace: "ns", type: "x", id: "1" },
              argument: kafka("t", "", []),
            },
            {
              delayInMs: -5,
              target: { namespace: "ns", type: "x", id: "1" },
              argument: kafka("t", "", []),
            },
          ],
        },
        context,
      ),
    ).toThrow("delayed message #2 with a negative delay of -5 ms; delays must be >= 0");
    expect(() =>
      replyEffects(
        { delayedInvocations: [{ delayInMs: 1, target: { namespace: "", type: "x", id: "1" } }] },
        context,
      ),
    ).toThrow("delayed message #1 without a target function type");
  });
});
