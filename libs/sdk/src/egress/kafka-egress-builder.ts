// The Kafka egress builder: validates a record's fields and encodes it through wire/. Holds no
// protobuf code.

import { ConfigurationError, describeValue } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import type { TypeName } from "../type-name.js";
import {
  encodeKafkaProducerRecord,
  KAFKA_PRODUCER_RECORD_TYPENAME,
} from "../wire/egress-records.js";
import type { WireTypedValue } from "../wire/typed-value.js";
import type { EgressBuilder } from "./egress-builder.js";
import {
  checkEgressTarget,
  checkRequiredString,
  checkUtf8,
  type EgressValue,
  egressValueBytes,
} from "./egress-value.js";

/** Options of a {@link KafkaEgressBuilder}: the Go SDK's fields in camelCase. */
export type KafkaEgressOptions<T = unknown> = {
  /** The egress id declared in module.yaml, e.g. `typeNameFrom("com.example/greets")`. */
  readonly target: TypeName;
  /** The Kafka topic the record is written to. */
  readonly topic: string;
  /** The record key (UTF-8); empty or absent means no key. */
  readonly key?: string;
} & EgressValue<T>;

/** A record for a Kafka egress (`io.statefun.kafka.v1/egress`). Validates on construction. */
export class KafkaEgressBuilder<T = unknown> implements EgressBuilder {
  readonly target: TypeName;
  readonly #record: WireTypedValue;

  constructor(options: KafkaEgressOptions<T>) {
    const builder = "KafkaEgressBuilder";
    this.target = checkEgressTarget(options.target, builder);
    const topic = checkRequiredString(options.topic, "topic", builder);
    const key = options.key ?? "";
    if (typeof key !== "string") {
      throw new ConfigurationError(`${builder}: key must be a string, got ${describeValue(key)}`);
    }
    checkUtf8(key, "key", builder);
    const valueBytes = egressValueBytes(
      options.value,
      options.valueType as SimpleType<unknown> | undefined,
      builder,
    );
    this.#record = {
      typename: KAFKA_PRODUCER_RECORD_TYPENAME,
      hasValue: true,
      value: encodeKafkaProducerRecord({ key, valueBytes, topic }),
    };
  }

  /** The record as the runtime receives it (see {@link EgressBuilder.toTypedValue}). */
  toTypedValue(): WireTypedValue {
    return this.#record;
  }
}
