// The state handshake counts each declared state once: a request that repeats one state's name
// but lacks another still gets IncompleteInvocationContext for the missing one.
import { describe, expect, it } from "vitest";
import { intValue, replyJson, stringValue, toFunction } from "../test/wire.js";
import { io } from "./generated/statefun.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Int32Type, StringType } from "./types/built-in-types.js";
import type { ValueSpec } from "./value-spec.js";

const count: ValueSpec<number> = { name: "count", valueType: Int32Type };
const label: ValueSpec<string> = { name: "label", valueType: StringType };
const target = { namespace: "org.foo", type: "dup", id: "0" };

describe("the state handshake with a repeated state name", () => {
  it("asks for the state that is missing even when another one is sent twice, and runs nothing", async () => {
    let ran = 0;
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("org.foo/dup"),
        states: [count, label],
        function: () => void ran++,
      })
      .asHandler();
    // `count` twice, `label` absent: the generated encoder keeps both entries in order
    const request = io.statefun.sdk.reqreply.ToFunction.encode({
      invocation: {
        target,
        state: [
          { stateName: "count", stateValue: { hasValue: true, ...intValue(1) } },
          { stateName: "count", stateValue: { hasValue: true, ...intValue(2) } },
        ],
        invocations: [{ argument: stringValue("x") }],
      },
    }).finish();
    const reply = replyJson(await handler.invoke(request));
    expect(ran).toBe(0);
    expect(reply).toEqual({
      incompleteInvocationContext: {
        missingValues: [
          { stateName: "label", typeTypename: "io.statefun.types/string", expirationSpec: {} },
        ],
      },
    });
    // once both are present the function runs
    const complete = toFunction({
      target,
      states: { count: intValue(1), label: null },
      invocations: [{ argument: stringValue("x") }],
    });
    expect(replyJson(await handler.invoke(complete))).toHaveProperty("invocationResult");
    expect(ran).toBe(1);
  });
});
