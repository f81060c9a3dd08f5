// @statefun-ts/sdk: the public API (DESIGN.md §3), the Go SDK's shape in TypeScript idiom.
// Re-exports only; nothing internal (dispatcher, wire shapes other than WireTypedValue) is listed.

export { type Address, type AddressParts, formatAddress } from "./address.js";
export type { AddressScopedStorage } from "./address-scoped-storage.js";
// Context, storage, messages
export type { Context } from "./context.js";
// Egress
export type { EgressBuilder } from "./egress/egress-builder.js";
export type { EgressValue } from "./egress/egress-value.js";
export {
  GenericEgressBuilder,
  type GenericEgressOptions,
} from "./egress/generic-egress-builder.js";
export { KafkaEgressBuilder, type KafkaEgressOptions } from "./egress/kafka-egress-builder.js";
export {
  KinesisEgressBuilder,
  type KinesisEgressOptions,
} from "./egress/kinesis-egress-builder.js";
// Errors
export {
  ConfigurationError,
  FunctionInvocationError,
  InvalidRequestError,
  MessageTypeError,
  SerializationError,
  StateAccessError,
  StatefunError,
  TypeNameError,
  UnknownFunctionError,
} from "./errors.js";
export {
  type Expiration,
  type ExpirationMode,
  expireAfterCall,
  expireAfterWrite,
} from "./expiration.js";
export {
  DEFAULT_INVOCATION_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  type HandlerLogger,
  type HandlerOptions,
  type MetricsRegistry,
  type StructuredLogger,
} from "./handler-options.js";
export type { FetchHandler } from "./http/fetch.js";
export {
  closeGracefully,
  type GracefulCloseOptions,
  type GracefullyClosable,
} from "./http/graceful-close.js";
export { Message } from "./message.js";
export type { MessageBuilder } from "./message-builder.js";
export { SDK_SPANS } from "./observability/otel-tracing.js";
export { SDK_METRICS } from "./observability/prometheus-metrics.js";
export type { RequestReplyHandler } from "./request-reply-handler.js";
export {
  type ConnectionControls,
  createStatefunServer,
  type HandlerSource,
  type StatefunServer,
  type StatefunServerOptions,
  type StatefunTlsServer,
} from "./server/statefun-server.js";
// Types
export type { SimpleType, ValueOf } from "./simple-type.js";
// Functions and their registration
export type {
  StatefulFunction,
  StatefulFunctionFn,
  StatefulFunctionSpec,
} from "./stateful-function.js";
export {
  type StatefulFunctionsBuilder,
  statefulFunctionsBuilder,
} from "./stateful-functions-builder.js";
export { parseTypeName, type TypeName, typeNameFrom } from "./type-name.js";
export {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  StringType,
} from "./types/built-in-types.js";
export { makeJsonType } from "./types/json-type.js";
export { makeProtobufType, type ProtobufMessageClass } from "./types/protobuf-type.js";
// State
export type { ValueSpec } from "./value-spec.js";
// A value with its typename, as an egress record travels (EgressBuilder.toTypedValue)
export type { WireTypedValue } from "./wire/typed-value.js";
