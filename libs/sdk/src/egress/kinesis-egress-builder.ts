import { ConfigurationError, describeValue } from "../errors.js";
import { io } from "../generated/statefun.js";
import type { SimpleType } from "../simple-type.js";
import type { TypeName } from "../type-name.js";
import type { WireTypedValue } from "../wire/typed-value.js";
import type { EgressBuilder } from "./egress-builder.js";
import {
  checkEgressTarget,
  checkRequiredString,
  type EgressValue,
  egressValueBytes,
} from "./egress-value.js";

/** The typename the runtime's Kinesis egress accepts, exactly. */
export const KINESIS_EGRESS_RECORD_TYPENAME =
  "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord";

/** Options of a {@link KinesisEgressBuilder}: the Go SDK's fields in camelCase. */
export type KinesisEgressOptions<T = unknown> = {
  /** The egress id declared in module.yaml, e.g. `typeNameFrom("com.example/greets")`. */
  readonly target: TypeName;
  /** The Kinesis stream the record is written to. */
  readonly stream: string;
  /** The partition key (chooses the shard). */
  readonly partitionKey: string;
  /** An explicit hash key overriding the partition key's hash (optional). */
  readonly explicitHashKey?: string;
} & EgressValue<T>;

/** A record for a Kinesis egress (`io.statefun.kinesis.v1/egress`). Validates on construction. */
export class KinesisEgressBuilder<T = unknown> implements EgressBuilder {
  readonly target: TypeName;
  readonly #record: WireTypedValue;

  constructor(options: KinesisEgressOptions<T>) {
    const builder = "KinesisEgressBuilder";
    this.target = checkEgressTarget(options.target, builder);
    const stream = checkRequiredString(options.stream, "stream", builder);
    const partitionKey = checkRequiredString(options.partitionKey, "partitionKey", builder);
    const explicitHashKey = options.explicitHashKey ?? "";
    if (typeof explicitHashKey !== "string") {
      throw new ConfigurationError(
        `${builder}: explicitHashKey must be a string, got ${describeValue(explicitHashKey)}`,
      );
    }
    const valueBytes = egressValueBytes(
      options.value,
      options.valueType as SimpleType<unknown> | undefined,
      builder,
    );
    this.#record = {
      typename: KINESIS_EGRESS_RECORD_TYPENAME,
      hasValue: true,
      value: io.statefun.sdk.egress.KinesisEgressRecord.encode({
        partitionKey,
        valueBytes,
        stream,
        explicitHashKey,
      }).finish(),
    };
  }

  /** @internal */
  toTypedValue(): WireTypedValue {
    return this.#record;
  }
}
