// EgressRecord: a record a function wrote to an egress, as the test kit hands it to a test.
// Holds no decoding of records (the runtime core stores them decoded).

import type { StoredEgressRecord } from "@statefun-ts/runtime";
import type { SimpleType } from "@statefun-ts/sdk";
import { TestEnvironmentError } from "./errors.js";

/** A record a function wrote to an egress, decoded as the runtime stores it. */
export interface EgressRecord {
  /** The egress id, `<namespace>/<name>` (the builder's `target`). */
  readonly egressId: string;
  /** `kafka` (KafkaEgressBuilder), `kinesis` (KinesisEgressBuilder) or `generic`. */
  readonly kind: "kafka" | "kinesis" | "generic";
  /** The Kafka topic or Kinesis stream; the egress id for a generic record. */
  readonly topic: string;
  /** The Kafka key or Kinesis partition key, if any. */
  readonly key: string | undefined;
  /** The value bytes (the Kafka/Kinesis value, or the generic record's serialized value). */
  readonly value: Uint8Array;
  /** The typename of a generic record's value; the Kafka/Kinesis record typename otherwise. */
  readonly typename: string;
  /** Virtual time at which the record was written. */
  readonly timestamp: number;
  /** The value as UTF-8 text (what a string value becomes). */
  text(): string;
  /** The value deserialized with `type`; for a generic record, `type` must match its typename. */
  as<T>(type: SimpleType<T>): T;
}

const utf8 = new TextDecoder("utf-8");

/** Wraps a stored record. */
export function egressRecord(stored: StoredEgressRecord): EgressRecord {
  return {
    egressId: stored.egressId,
    kind: stored.kind,
    topic: stored.topic,
    key: stored.key ?? undefined,
    value: stored.value,
    typename: stored.typename,
    timestamp: stored.timestamp,
    text: () => utf8.decode(stored.value),
    as<T>(type: SimpleType<T>): T {
      const expected = type.typeName.toString();
      if (stored.kind === "generic" && stored.typename !== expected) {
        throw new TestEnvironmentError(
          `egress ${stored.egressId} record #${stored.offset} has a value of type ${stored.typename}, not ${expected}; read it with the type it was written with`,
        );
      }
      return type.deserialize(stored.value);
    },
  };
}
