// The Kinesis egress builder: validates a record's fields and encodes it through wire/. Holds no
// protobuf code.

import { ConfigurationError, describeValue } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import type { TypeName } from "../type-name.js";
import {
  encodeKinesisEgressRecord,
  KINESIS_EGRESS_RECORD_TYPENAME,
} from "../wire/egress-records.js";
import type { WireTypedValue } from "../wire/typed-value.js";
import type { EgressBuilder } from "./egress-builder.js";
import {
  checkEgressTarget,
  checkRequiredString,
  type EgressValue,
  egressValueBytes,
} from "./egress-value.js";

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
      value: encodeKinesisEgressRecord({ partitionKey, valueBytes, stream, explicitHashKey }),
    };
  }

  /** The record as the runtime receives it (see {@link EgressBuilder.toTypedValue}). */
  toTypedValue(): WireTypedValue {
    return this.#record;
  }
}
