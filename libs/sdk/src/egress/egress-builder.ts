import type { TypeName } from "../type-name.js";
import type { WireTypedValue } from "../wire/typed-value.js";

/** Something `ctx.sendEgress` can send: the Kafka, Kinesis and generic egress builders. */
export interface EgressBuilder {
  /** The egress id, e.g. `com.example/greets`. */
  readonly target: TypeName;
  /** @internal The record as it travels to the runtime. */
  toTypedValue(): WireTypedValue;
}
