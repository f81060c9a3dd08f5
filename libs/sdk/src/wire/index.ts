// @statefun-ts/sdk/wire: the generated protocol messages, for the local runtime and for tests.
// Function authors do not need it.

export { KAFKA_PRODUCER_RECORD_TYPENAME } from "../egress/kafka-egress-builder.js";
export { KINESIS_EGRESS_RECORD_TYPENAME } from "../egress/kinesis-egress-builder.js";
export { io } from "../generated/statefun.js";
export type { WireTypedValue } from "./typed-value.js";
