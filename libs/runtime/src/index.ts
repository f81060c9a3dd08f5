// @statefun-ts/runtime: the local StateFun runtime (embedded default) for development and tests.

export type { RetryPolicy } from "./address-dispatcher.js";
export { parseFlinkDuration } from "./duration.js";
export {
  FunctionCallError,
  IngressError,
  ModuleYamlError,
  ReplyRejectedError,
  RuntimeError,
} from "./errors.js";
export { type IngressValidator, validatorsFromTypes } from "./ingress-body.js";
export { consoleLog, type LogLevel, type RuntimeLog } from "./log.js";
export {
  type EgressDeclaration,
  type FunctionEndpoint,
  loadModuleYaml,
  type ModuleConfig,
  parseModuleYaml,
} from "./module-yaml.js";
export { type Runtime, type RuntimeOptions, startRuntime } from "./runtime.js";
