// The generic egress builder: a typed value for any egress. Holds no Kafka or Kinesis record.

import { ConfigurationError } from "../errors.js";
import { toTypedValue } from "../message-builder.js";
import type { SimpleType } from "../simple-type.js";
import type { TypeName } from "../type-name.js";
import type { WireTypedValue } from "../wire/typed-value.js";
import type { EgressBuilder } from "./egress-builder.js";
import { checkEgressTarget } from "./egress-value.js";

/** Options of a {@link GenericEgressBuilder}. */
export interface GenericEgressOptions<T> {
  /** The egress id, e.g. `typeNameFrom("com.example/audit")`. */
  readonly target: TypeName;
  /** The value to write. */
  readonly value: T;
  /** How the value is serialized (its typename travels with the bytes). */
  readonly valueType: SimpleType<T>;
}

/** A typed value for any egress bound to that id (the egress receives a TypedValue). */
export class GenericEgressBuilder<T = unknown> implements EgressBuilder {
  readonly target: TypeName;
  readonly #value: WireTypedValue;

  constructor(options: GenericEgressOptions<T>) {
    const builder = "GenericEgressBuilder";
    this.target = checkEgressTarget(options.target, builder);
    if (options.valueType === undefined) {
      throw new ConfigurationError(
        `${builder}: valueType is required (e.g. StringType or a makeJsonType(...) type)`,
      );
    }
    this.#value = toTypedValue(options.value, options.valueType, builder);
  }

  /** The record as the runtime receives it (see {@link EgressBuilder.toTypedValue}). */
  toTypedValue(): WireTypedValue {
    return this.#value;
  }
}
