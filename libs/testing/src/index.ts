// @statefun-ts/testing: the in-process test kit for StateFun functions (no HTTP, virtual clock).

export type { EgressRecord } from "./egress-record.js";
export { FunctionFailedError, TestEnvironmentError } from "./errors.js";
export type { FunctionsUnderTest, HandlerUnderTest } from "./functions-under-test.js";
export {
  createTestEnvironment,
  type SentMessage,
  type TestEnvironment,
  type TestEnvironmentOptions,
} from "./test-environment.js";
