// The functions under test turned into an in-process module: an SDK handler built from specs,
// or a handler given with its types. Holds no runtime behaviour.

import type {
  EgressDeclaration,
  FunctionEndpoint,
  FunctionInvoker,
  ModuleConfig,
} from "@statefun-ts/runtime";
import {
  type RequestReplyHandler,
  type StatefulFunctionSpec,
  statefulFunctionsBuilder,
  type TypeName,
} from "@statefun-ts/sdk";
import { TestEnvironmentError } from "./errors.js";

/** A handler under test and the function types it serves. */
export interface HandlerUnderTest {
  /** A handler from `statefulFunctionsBuilder().asHandler()`, or anything with its `invoke`. */
  readonly handler: Pick<RequestReplyHandler, "invoke">;
  /** The served function types: `TypeName`s, `"<namespace>/<name>"` or `"<namespace>/*"`. */
  readonly functionTypes: readonly (TypeName | string)[];
}

/** The functions under test: specs (served by a real SDK handler) or a handler with its types. */
export type FunctionsUnderTest = readonly StatefulFunctionSpec[] | HandlerUnderTest;

/** What the runtime core needs: the module (one endpoint per served type) and the invoker. */
export interface ServedFunctions {
  readonly module: ModuleConfig;
  readonly invoke: FunctionInvoker;
}

const SOURCE = "createTestEnvironment({ functions })";

/** Turns the functions under test into an in-process module. */
export function servedFunctions(
  functions: FunctionsUnderTest,
  egresses: Readonly<Record<string, "kafka" | "kinesis">>,
): ServedFunctions {
  const egressList = Object.entries(egresses).map(([id, kind]): EgressDeclaration => {
    if (kind !== "kafka" && kind !== "kinesis") {
      throw new TestEnvironmentError(
        `createTestEnvironment({ egresses }): egress ${id} has kind ${JSON.stringify(kind)}; use "kafka" or "kinesis"`,
      );
    }
    return { id, kind };
  });
  if (isSpecList(functions)) {
    if (functions.length === 0) {
      throw new TestEnvironmentError(
        `${SOURCE}: the list of function specs is empty; pass at least one { functionType, states, function }`,
      );
    }
    const builder = statefulFunctionsBuilder();
    for (const spec of functions) builder.withSpec(spec);
    const handler = builder.asHandler();
    return {
      module: moduleOf(
        functions.map((spec) => spec.functionType.toString()),
        egressList,
      ),
      invoke: (request) => handler.invoke(request),
    };
  }
  if (typeof functions?.handler?.invoke !== "function") {
    throw new TestEnvironmentError(
      `${SOURCE}: functions must be an array of function specs or { handler, functionTypes } where handler has invoke(bytes) (e.g. statefulFunctionsBuilder()...asHandler())`,
    );
  }
  if (!Array.isArray(functions.functionTypes) || functions.functionTypes.length === 0) {
    throw new TestEnvironmentError(
      `${SOURCE}: functionTypes must list the function types the handler serves, e.g. ["com.example.fns/greeter"] or ["com.example.fns/*"]`,
    );
  }
  const { handler } = functions;
  return {
    module: moduleOf(
      functions.functionTypes.map((type) => type.toString()),
      egressList,
    ),
    invoke: (request) => handler.invoke(request),
  };
}

function isSpecList(functions: FunctionsUnderTest): functions is readonly StatefulFunctionSpec[] {
  return Array.isArray(functions);
}

function moduleOf(types: readonly string[], egresses: readonly EgressDeclaration[]): ModuleConfig {
  const endpoints = types.map((type): FunctionEndpoint => {
    const [namespace = "", name = "", ...rest] = type.split("/");
    if (namespace === "" || name === "" || rest.length > 0) {
      throw new TestEnvironmentError(
        `${SOURCE}: "${type}" is not a function type; write "<namespace>/<name>" or "<namespace>/*"`,
      );
    }
    return {
      namespace,
      name: name === "*" ? undefined : name,
      urlPathTemplate: `in-process:${namespace}/{function.name}`,
      maxNumBatchRequests: 1000,
      callTimeoutMs: 60_000,
      connectTimeoutMs: 10_000,
      source: SOURCE,
    };
  });
  return { endpoints, egresses, notes: [] };
}
