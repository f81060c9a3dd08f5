// @statefun-ts/runtime: the local StateFun runtime (embedded default) for development and tests.

export type { RetryPolicy } from "./address-dispatcher.js";
export { MAX_ID_LENGTH, MAX_TYPE_LENGTH, typenameProblem } from "./address-rules.js";
// The runtime without sockets, for test kits (@statefun-ts/testing) and tooling.
export type { Clock, ScheduledTimer } from "./clock.js";
export { systemClock } from "./clock.js";
export type {
  AddressKey,
  DeadLetter,
  Durability,
  QueuedMessage,
  StoredEgressRecord,
  StoredValue,
  TopicSummary,
} from "./durable-store.js";
export { parseFlinkDuration } from "./duration.js";
export {
  FunctionCallError,
  IngressError,
  ModuleYamlError,
  ReplyRejectedError,
  RuntimeError,
  StoreUnavailableError,
} from "./errors.js";
export type { CallOptions, FunctionRequest, FunctionTransport } from "./function-transport.js";
export { type FunctionInvoker, inProcessTransport } from "./in-process-transport.js";
export { type IngressValidator, validatorsFromTypes } from "./ingress-body.js";
export { type JsonSchema, loadJsonSchemas } from "./inspector/schema-files.js";
export {
  type EgressLog,
  KAFKA_BOOTSTRAP_ENV,
  type KafkaConnectorOptions,
  type KafkaConnectors,
  type KafkaIngressFailure,
  type KafkaStatus,
  startKafkaConnectors,
} from "./kafka-connectors.js";
export {
  type KafkaEgressDeclaration,
  type KafkaIngressDeclaration,
  type KafkaIngressTopic,
  type KafkaModule,
  parseKafkaModule,
} from "./kafka-module.js";
export { consoleLog, type LogLevel, type RuntimeLog } from "./log.js";
export {
  type EgressDeclaration,
  type FunctionEndpoint,
  loadModuleYaml,
  type ModuleConfig,
  parseModuleYaml,
} from "./module-yaml.js";
export { type Runtime, type RuntimeOptions, startRuntime } from "./runtime.js";
export {
  DEFAULT_DEAD_LETTER_AFTER,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_QUEUED,
  RuntimeCore,
  type RuntimeCoreOptions,
  type RuntimeStats,
} from "./runtime-core.js";
export { combineObservers, type MetricsSource, RuntimeMetrics } from "./runtime-metrics.js";
export type { DeadLetterEvent, RuntimeObserver } from "./runtime-observer.js";
export { StateFileLockedError } from "./store/owner-lock.js";
