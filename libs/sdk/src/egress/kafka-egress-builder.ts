import { ConfigurationError, describeValue } from "../errors.js";
import { io } from "../generated/statefun.js";
import type { SimpleType } from "../simple-type.js";
import type { TypeName } from "../type-name.js";
import type { WireTypedValue } from "../wire/typed-value.js";
import type { EgressBuilder } from "./egress-builder.js";
import {
  checkEgressTarget,
  checkRequiredString,
  checkUtf8,
  type EgressValue,
  egressValueBytes,
} from "./egress-value.js";

/** The typename the runtime's Kafka egress accepts, exactly. */
export const KAFKA_PRODUCER_RECORD_TYPENAME =
  "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

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
      value: io.statefun.sdk.egress.KafkaProducerRecord.encode({ key, valueBytes, topic }).finish(),
    };
  }

  /** @internal */
  toTypedValue(): WireTypedValue {
    return this.#record;
  }
}
