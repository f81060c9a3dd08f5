// The records of the Kafka and Kinesis egresses (protobuf `io.statefun.sdk.egress`): their exact
// typenames and their encoders. The validation of a record's fields belongs to the egress
// builders, not here.

import { io } from "../generated/statefun.js";

/** The typename the runtime's Kafka egress accepts, exactly. */
export const KAFKA_PRODUCER_RECORD_TYPENAME =
  "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

/** The typename the runtime's Kinesis egress accepts, exactly. */
export const KINESIS_EGRESS_RECORD_TYPENAME =
  "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord";

/** A Kafka record (protobuf `KafkaProducerRecord`); an empty key means no key. */
export interface WireKafkaProducerRecord {
  key: string;
  valueBytes: Uint8Array;
  topic: string;
}

/** A Kinesis record (protobuf `KinesisEgressRecord`); an empty explicit hash key means none. */
export interface WireKinesisEgressRecord {
  partitionKey: string;
  valueBytes: Uint8Array;
  stream: string;
  explicitHashKey: string;
}

/** The bytes of a KafkaProducerRecord. */
export function encodeKafkaProducerRecord(record: WireKafkaProducerRecord): Uint8Array {
  return io.statefun.sdk.egress.KafkaProducerRecord.encode(record).finish();
}

/** The bytes of a KinesisEgressRecord. */
export function encodeKinesisEgressRecord(record: WireKinesisEgressRecord): Uint8Array {
  return io.statefun.sdk.egress.KinesisEgressRecord.encode(record).finish();
}
