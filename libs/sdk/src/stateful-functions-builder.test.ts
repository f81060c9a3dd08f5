// Tests of registration: spec validation and duplicate detection, with errors naming the
// function type.

import { describe, expect, it } from "vitest";
import { invocationResult, stringValue, toFunction } from "../test/wire.js";
import type { Context } from "./context.js";
import { ConfigurationError } from "./errors.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Int32Type, StringType } from "./types/built-in-types.js";

const noop = () => {};

describe("statefulFunctionsBuilder().withSpec", () => {
  it("accepts a plain function, an object with invoke, and a class instance, and calls each", async () => {
    class Fn {
      calls = 0;
      invoke(ctx: Context) {
        // a method: `this` is the registered instance
        this.calls++;
        ctx.storage.set(seen, this.calls);
      }
    }
    const seen = { name: "seen", valueType: Int32Type };
    const called: string[] = [];
    const instance = new Fn();
    const b = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("a/plain"),
        function: (ctx) => void called.push(`plain ${ctx.self.id}`),
      })
      .withSpec({
        functionType: typeNameFrom("a/object"),
        function: { invoke: (ctx) => void called.push(`object ${ctx.self.id}`) },
      })
      .withSpec({ functionType: typeNameFrom("a/class"), states: [seen], function: instance });
    const handler = b.asHandler();
    const call = (type: string, states?: Record<string, null>) =>
      handler.invoke(
        toFunction({
          target: { namespace: "a", type, id: "7" },
          ...(states ? { states } : {}),
          invocations: [{ argument: stringValue("x") }],
        }),
      );
    await call("plain");
    await call("object");
    const reply = invocationResult(await call("class", { seen: null }));
    expect(called).toEqual(["plain 7", "object 7"]);
    expect(instance.calls).toBe(1);
    expect(reply.stateMutations.map((m) => m.stateName)).toEqual(["seen"]);
  });

  it("rejects a duplicate function type", () => {
    const b = statefulFunctionsBuilder().withSpec({
      functionType: typeNameFrom("a/f"),
      function: noop,
    });
    expect(() => b.withSpec({ functionType: typeNameFrom("a/f"), function: noop })).toThrow(
      /function a\/f: there is already a spec registered under that type/,
    );
  });

  it("rejects duplicate state names", () => {
    expect(() =>
      statefulFunctionsBuilder().withSpec({
        functionType: typeNameFrom("a/f"),
        states: [
          { name: "seen", valueType: Int32Type },
          { name: "seen", valueType: StringType },
        ],
        function: noop,
      }),
    ).toThrow(/function a\/f: state seen is declared more than once/);
  });

  it("rejects a bad state name, function type or function", () => {
    const b = statefulFunctionsBuilder();
    expect(() =>
      b.withSpec({
        functionType: typeNameFrom("a/f"),
        states: [{ name: "a b", valueType: Int32Type }],
        function: noop,
      }),
    ).toThrow(ConfigurationError);
    expect(() => b.withSpec({ functionType: "a/f" as never, function: noop })).toThrow(
      /functionType must be a TypeName/,
    );
    expect(() => b.withSpec({ functionType: typeNameFrom("a/f"), function: {} as never })).toThrow(
      /function must be a StatefulFunction/,
    );
    expect(() => b.withSpec(undefined as never)).toThrow(ConfigurationError);
  });

  it("a handler keeps the functions registered when it was built", async () => {
    const b = statefulFunctionsBuilder();
    const h = b.asHandler();
    b.withSpec({ functionType: typeNameFrom("a/late"), function: noop });
    await expect(
      h.invoke(toFunction({ target: { namespace: "a", type: "late", id: "1" }, invocations: [] })),
    ).rejects.toThrow(/unknown function type a\/late/);
  });
});
