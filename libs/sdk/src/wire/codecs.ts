// The named codecs and shapes of the protocol messages, for the local runtime, tools and tests
// (`@statefun-ts/sdk/wire`): each encodes a plain object and decodes bytes into one. The
// generated protobufjs classes stay behind them; nothing here is used on the SDK's hot path.

import { io } from "../generated/statefun.js";

const { reqreply, egress } = io.statefun.sdk;

/**
 * Encodes one protocol message and decodes it back. `T` is the shape to encode (every field
 * optional); `Decoded` is what decoding gives, with every scalar field present.
 */
export interface WireCodec<T, Decoded extends T = T> {
  /** The message's protobuf bytes; absent fields are proto3 defaults (not written). */
  encode(message: T): Uint8Array;
  /**
   * The message in `bytes`; scalars absent on the wire read as their defaults (`""`, `0`,
   * `false`, empty bytes), absent sub-messages as `null`. Throws on bytes that are not one.
   */
  decode(bytes: Uint8Array): Decoded;
}

/** `io.statefun.sdk.reqreply.Address`. */
export interface WireAddressMessage extends io.statefun.sdk.reqreply.Address.$Properties {}
/** `io.statefun.sdk.reqreply.TypedValue`. */
export interface WireTypedValueMessage extends io.statefun.sdk.reqreply.TypedValue.$Properties {}
/** `io.statefun.sdk.reqreply.ToFunction`: the request, one invocation batch. */
export interface ToFunction extends io.statefun.sdk.reqreply.ToFunction.$Properties {}
/** `ToFunction.InvocationBatchRequest`: target, states and invocations. */
export interface InvocationBatchRequest
  extends io.statefun.sdk.reqreply.ToFunction.InvocationBatchRequest.$Properties {}
/** `ToFunction.PersistedValue`: one state sent with a batch. */
export interface PersistedValue
  extends io.statefun.sdk.reqreply.ToFunction.PersistedValue.$Properties {}
/** `ToFunction.Invocation`: one message of a batch. */
export interface Invocation extends io.statefun.sdk.reqreply.ToFunction.Invocation.$Properties {}
/** `io.statefun.sdk.reqreply.FromFunction`: the reply, a result or the missing states. */
export interface FromFunction extends io.statefun.sdk.reqreply.FromFunction.$Properties {}
/** `FromFunction.InvocationResponse`: mutations, messages, delayed messages, egress records. */
export interface InvocationResponse
  extends io.statefun.sdk.reqreply.FromFunction.InvocationResponse.$Properties {}
/** `FromFunction.PersistedValueMutation`. */
export interface PersistedValueMutation
  extends io.statefun.sdk.reqreply.FromFunction.PersistedValueMutation.$Properties {}
/** `FromFunction.Invocation`: a message to a function. */
export interface OutgoingInvocation
  extends io.statefun.sdk.reqreply.FromFunction.Invocation.$Properties {}
/** `FromFunction.DelayedInvocation`: a delayed message or a cancellation. */
export interface DelayedInvocation
  extends io.statefun.sdk.reqreply.FromFunction.DelayedInvocation.$Properties {}
/** `FromFunction.EgressMessage`: a record for an egress. */
export interface EgressMessage
  extends io.statefun.sdk.reqreply.FromFunction.EgressMessage.$Properties {}
/** `FromFunction.PersistedValueSpec`: a state the function declares. */
export interface PersistedValueSpec
  extends io.statefun.sdk.reqreply.FromFunction.PersistedValueSpec.$Properties {}
/** `FromFunction.ExpirationSpec`. */
export interface ExpirationSpec
  extends io.statefun.sdk.reqreply.FromFunction.ExpirationSpec.$Properties {}
/** `io.statefun.sdk.egress.KafkaProducerRecord`. */
export interface KafkaProducerRecord
  extends io.statefun.sdk.egress.KafkaProducerRecord.$Properties {}
/** `io.statefun.sdk.egress.KinesisEgressRecord`. */
export interface KinesisEgressRecord
  extends io.statefun.sdk.egress.KinesisEgressRecord.$Properties {}

/** `PersistedValueMutation.MutationType`: `DELETE` (0) and `MODIFY` (1). */
export const MutationType = reqreply.FromFunction.PersistedValueMutation.MutationType;
/** `ExpirationSpec.ExpireMode`: `NONE` (0), `AFTER_WRITE` (1), `AFTER_INVOKE` (2). */
export const ExpireMode = reqreply.FromFunction.ExpirationSpec.ExpireMode;

function codec<T, Decoded extends T>(message: {
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): Decoded;
}): WireCodec<T, Decoded> {
  return {
    encode: (value) => message.encode(value).finish(),
    decode: (bytes) => message.decode(bytes),
  };
}

/** The request: `ToFunction`. */
export const toFunctionCodec: WireCodec<ToFunction, io.statefun.sdk.reqreply.ToFunction> = codec(
  reqreply.ToFunction,
);
/** The reply: `FromFunction`. */
export const fromFunctionCodec: WireCodec<FromFunction, io.statefun.sdk.reqreply.FromFunction> =
  codec(reqreply.FromFunction);
/** A Kafka egress record: `KafkaProducerRecord`. */
export const kafkaProducerRecordCodec: WireCodec<
  KafkaProducerRecord,
  io.statefun.sdk.egress.KafkaProducerRecord
> = codec(egress.KafkaProducerRecord);
/** A Kinesis egress record: `KinesisEgressRecord`. */
export const kinesisEgressRecordCodec: WireCodec<
  KinesisEgressRecord,
  io.statefun.sdk.egress.KinesisEgressRecord
> = codec(egress.KinesisEgressRecord);
