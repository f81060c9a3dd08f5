// @statefun-ts/runtime: the local StateFun runtime (embedded default) for development and tests.

export type { RetryPolicy } from "./address-dispatcher.js";
// The runtime without sockets, for test kits (@statefun-ts/testing) and tooling.
export type { Clock, ScheduledTimer } from "./clock.js";
export { systemClock } from "./clock.js";
export type {
  AddressKey,
  QueuedMessage,
  StoredEgressRecord,
  StoredValue,
} from "./durable-store.js";
export { parseFlinkDuration } from "./duration.js";
export {
  FunctionCallError,
  IngressError,
  ModuleYamlError,
  ReplyRejectedError,
  RuntimeError,
} from "./errors.js";
export type { CallOptions, FunctionRequest, FunctionTransport } from "./function-transport.js";
export { type FunctionInvoker, inProcessTransport } from "./in-process-transport.js";
export { type IngressValidator, validatorsFromTypes } from "./ingress-body.js";
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
export { RuntimeCore, type RuntimeCoreOptions } from "./runtime-core.js";
