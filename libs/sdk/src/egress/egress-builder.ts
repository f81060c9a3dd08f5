// The interface every egress record builder implements, and that `ctx.sendEgress` accepts. Holds
// no encoding: each builder encodes its record through wire/.

import type { TypeName } from "../type-name.js";
import type { WireTypedValue } from "../wire/typed-value.js";

/**
 * Something `ctx.sendEgress` can send: the Kafka, Kinesis and generic egress builders, or a
 * builder of your own for another egress kind.
 */
export interface EgressBuilder {
  /** The egress id, e.g. `com.example/greets`. */
  readonly target: TypeName;
  /**
   * The record as the runtime receives it: its typename and bytes (for a Kafka record,
   * `type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord` and the record's protobuf
   * bytes). Tests and tools can read a record with it.
   */
  toTypedValue(): WireTypedValue;
}
