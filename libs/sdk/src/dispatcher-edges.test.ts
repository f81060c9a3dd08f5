// Edges of the dispatcher that the main tests pass by: callers with empty parts, several function
// types on one handler (the lookup cache), a handler serving nothing, async failures at any
// invocation, and a state value that fails to serialize when the reply is built.
import { describe, expect, it } from "vitest";
import { invocationResult, stringValue, toFunction } from "../test/wire.js";
import type { Context } from "./context.js";
import {
  FunctionInvocationError,
  InvalidRequestError,
  StateAccessError,
  UnknownFunctionError,
} from "./errors.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Int32Type } from "./types/built-in-types.js";

const call = (
  namespace: string,
  type: string,
  caller?: { namespace: string; type: string; id: string },
) =>
  toFunction({
    target: { namespace, type, id: "1" },
    invocations: [{ ...(caller ? { caller } : {}), argument: stringValue("x") }],
  });

describe("dispatcher edges", () => {
  it("a caller with only some parts empty is malformed, naming it; an all-empty caller is none", async () => {
    const seen: Array<string | undefined> = [];
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("a/f"),
        function: (ctx: Context) =>
          void seen.push(ctx.caller && `${ctx.caller.functionType}:${ctx.caller.id}`),
      })
      .asHandler();
    await handler.invoke(call("a", "f", { namespace: "", type: "", id: "" }));
    await handler.invoke(call("a", "f", { namespace: "b", type: "g", id: "" }));
    expect(seen).toEqual([undefined, "b/g:"]);
    for (const caller of [
      { namespace: "b", type: "", id: "" },
      { namespace: "", type: "g", id: "" },
      { namespace: "", type: "", id: "7" },
    ]) {
      const error = await handler.invoke(call("a", "f", caller)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain(
        `invocation caller ${caller.namespace}/${caller.type}:${caller.id} has a malformed function type`,
      );
    }
    expect(seen).toHaveLength(2);
  });

  it("runs the function of each request's type, whatever ran before (same type in another namespace included)", async () => {
    const ran: string[] = [];
    const fn = (name: string) => (ctx: Context) =>
      void ran.push(`${name} ${ctx.self.functionType}`);
    const handler = statefulFunctionsBuilder()
      .withSpec({ functionType: typeNameFrom("a/f"), function: fn("af") })
      .withSpec({ functionType: typeNameFrom("b/f"), function: fn("bf") })
      .withSpec({ functionType: typeNameFrom("a/g"), function: fn("ag") })
      .asHandler();
    const other = statefulFunctionsBuilder()
      .withSpec({ functionType: typeNameFrom("a/f"), function: fn("other af") })
      .asHandler();
    for (const [h, ns, type] of [
      [handler, "a", "f"],
      [handler, "b", "f"],
      [handler, "a", "g"],
      [handler, "a", "f"],
      [other, "a", "f"],
      [handler, "a", "f"],
    ] as const) {
      await h.invoke(call(ns, type));
    }
    expect(ran).toEqual(["af a/f", "bf b/f", "ag a/g", "af a/f", "other af a/f", "af a/f"]);
  });

  it("an unknown type names what the handler serves, or (none)", async () => {
    const empty = statefulFunctionsBuilder().asHandler();
    await expect(empty.invoke(call("a", "f"))).rejects.toThrow(
      new UnknownFunctionError("unknown function type a/f; this handler serves: (none)"),
    );
    const two = statefulFunctionsBuilder()
      .withSpec({ functionType: typeNameFrom("a/x"), function: () => {} })
      .withSpec({ functionType: typeNameFrom("a/y"), function: () => {} })
      .asHandler();
    await expect(two.invoke(call("a", "f"))).rejects.toThrow(
      "unknown function type a/f; this handler serves: a/x, a/y",
    );
  });

  it("an async function that rejects, at the first or a later invocation, fails the batch naming the invocation", async () => {
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("a/f"),
        function: async (_ctx, message) => {
          await Promise.resolve();
          if (message.asString() === "bad") throw new Error("async failure");
        },
      })
      .asHandler();
    const batch = (...texts: string[]) =>
      toFunction({
        target: { namespace: "a", type: "f", id: "9" },
        invocations: texts.map((t) => ({ argument: stringValue(t) })),
      });
    for (const [texts, n] of [
      [["bad", "ok"], 1],
      [["ok", "bad", "ok"], 2],
    ] as const) {
      const error = await handler.invoke(batch(...texts)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FunctionInvocationError);
      expect((error as Error).message).toBe(
        `function a/f:9 failed on invocation ${n} of ${texts.length}: async failure`,
      );
      expect(((error as Error).cause as Error).message).toBe("async failure");
    }
    expect(invocationResult(await handler.invoke(batch("ok", "ok")))).toBeDefined();
  });

  it("an invocation without an argument is a message with no type and no bytes", async () => {
    const seen: unknown[] = [];
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("a/f"),
        function: (_ctx, message) => {
          seen.push(message.rawValue().length, message.isString());
          message.asString();
        },
      })
      .asHandler();
    const request = toFunction({
      target: { namespace: "a", type: "f", id: "2" },
      invocations: [{}],
    });
    await expect(handler.invoke(request)).rejects.toThrow(
      /message has type \(none\), not io\.statefun\.types\/string/,
    );
    expect(seen).toEqual([0, false]);
  });

  it("a state value that cannot be serialized fails the batch with the storage error as its cause", async () => {
    const count = { name: "count", valueType: Int32Type };
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("a/f"),
        states: [count],
        function: (ctx) => ctx.storage.set(count, 1.5),
      })
      .asHandler();
    const error = await handler
      .invoke(
        toFunction({
          target: { namespace: "a", type: "f", id: "3" },
          states: { count: null },
          invocations: [{ argument: stringValue("x") }],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect((error as Error).message).toMatch(
      /function a\/f:3, state count: cannot serialize the new value/,
    );
    expect((error as Error).cause).toBeInstanceOf(StateAccessError);
  });
});
