// The runtime's wire codec: the ONE module that touches the protocol's protobuf messages
// (ToFunction, FromFunction, Kafka/Kinesis egress records). Everything else in the runtime works
// with the plain shapes below.
import {
  type EgressMessage,
  ExpireMode,
  fromFunctionCodec,
  type InvocationResponse,
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
  kafkaProducerRecordCodec,
  kinesisEgressRecordCodec,
  MutationType,
  type PersistedValueSpec,
  toFunctionCodec,
  type WireAddressMessage,
  type WireTypedValueMessage,
} from "@statefun-ts/sdk/wire";
import type { AddressKey, QueuedMessage, StoredValue } from "./durable-store.js";

export {
  ExpireMode,
  type InvocationResponse,
  KAFKA_PRODUCER_RECORD_TYPENAME,
  KINESIS_EGRESS_RECORD_TYPENAME,
  MutationType,
};

/** A decoded FromFunction reply. */
export type FromFunctionReply = ReturnType<typeof fromFunctionCodec.decode>;
/** An address as it appears on the wire. */
export type WireAddress = WireAddressMessage;
/** A typed value as it appears on the wire. */
export type WireTypedValue = WireTypedValueMessage;
/** An egress message of a reply. */
export type WireEgressMessage = EgressMessage;
/** A state spec of an IncompleteInvocationContext. */
export type WireStateSpec = PersistedValueSpec;

/** One state sent with a request: its name and, when it has a value, the typed value. */
export interface RequestState {
  readonly name: string;
  readonly typename: string;
  readonly value: Uint8Array | undefined;
}

/** Encodes the ToFunction request of a batch for one address. */
export function encodeToFunction(
  address: AddressKey,
  states: readonly RequestState[],
  batch: readonly QueuedMessage[],
): Uint8Array {
  return toFunctionCodec.encode({
    invocation: {
      target: { namespace: address.namespace, type: address.type, id: address.id },
      state: states.map((state) =>
        state.value === undefined
          ? { stateName: state.name }
          : {
              stateName: state.name,
              stateValue: { typename: state.typename, hasValue: true, value: state.value },
            },
      ),
      invocations: batch.map((message) => ({
        ...(message.caller ? { caller: message.caller } : {}),
        argument: {
          typename: message.argument.typename,
          hasValue: message.argument.hasValue,
          value: message.argument.value,
        },
      })),
    },
  });
}

/** Decodes a FromFunction reply; throws on bytes that are not one. */
export function decodeFromFunction(bytes: Uint8Array): FromFunctionReply {
  return fromFunctionCodec.decode(bytes);
}

/** A wire typed value in the store's shape. */
export function toStoredValue(value: WireTypedValue | null | undefined): StoredValue {
  return {
    typename: value?.typename ?? "",
    hasValue: value?.hasValue ?? false,
    value: value?.value ?? new Uint8Array(0),
  };
}

/** The fields of a KafkaProducerRecord the egress keeps. */
export interface KafkaRecordFields {
  readonly topic: string;
  readonly key: string;
  readonly value: Uint8Array;
}

/** Decodes a KafkaProducerRecord; throws on bytes that are not one. */
export function decodeKafkaRecord(bytes: Uint8Array): KafkaRecordFields {
  const record = kafkaProducerRecordCodec.decode(bytes);
  return { topic: record.topic, key: record.key, value: record.valueBytes };
}

/** The fields of a KinesisEgressRecord the egress keeps. */
export interface KinesisRecordFields {
  readonly stream: string;
  readonly partitionKey: string;
  readonly value: Uint8Array;
}

/** Decodes a KinesisEgressRecord; throws on bytes that are not one. */
export function decodeKinesisRecord(bytes: Uint8Array): KinesisRecordFields {
  const record = kinesisEgressRecordCodec.decode(bytes);
  return { stream: record.stream, partitionKey: record.partitionKey, value: record.valueBytes };
}

/**
 * The raw UTF-8 bytes inside a `io.statefun.types/string` wrapper (field 1, length-delimited),
 * or `undefined` when the bytes are not such a wrapper. Lets the ingress check the text itself.
 */
export function stringWrapperBytes(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 0) return new Uint8Array(0);
  if (bytes[0] !== 0x0a) return undefined;
  let length = 0;
  let shift = 0;
  let i = 1;
  for (;;) {
    const b = bytes[i];
    if (b === undefined || shift > 28) return undefined;
    length |= (b & 0x7f) << shift;
    i += 1;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (i + length !== bytes.length) return undefined;
  return bytes.subarray(i, i + length);
}
