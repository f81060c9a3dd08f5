// @statefun-ts/sdk/wire: the protocol's named codecs and shapes, for the local runtime, tools and
// tests. Function authors do not need it. Not the generated protobufjs namespace: only what is
// listed here is public.

export {
  type DelayedInvocation,
  type EgressMessage,
  type ExpirationSpec,
  ExpireMode,
  type FromFunction,
  fromFunctionCodec,
  type Invocation,
  type InvocationBatchRequest,
  type InvocationResponse,
  type KafkaProducerRecord,
  type KinesisEgressRecord,
  kafkaProducerRecordCodec,
  kinesisEgressRecordCodec,
  MutationType,
  type OutgoingInvocation,
  type PersistedValue,
  type PersistedValueMutation,
  type PersistedValueSpec,
  type ToFunction,
  toFunctionCodec,
  type WireAddressMessage,
  type WireCodec,
  type WireTypedValueMessage,
} from "./codecs.js";
export {
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
} from "./egress-records.js";
export type { WireTypedValue } from "./typed-value.js";
