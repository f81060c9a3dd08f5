// Tests of registration: spec validation and duplicate detection, with errors naming the
// function type.

import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Int32Type, StringType } from "./types/built-in-types.js";

const noop = () => {};

describe("statefulFunctionsBuilder().withSpec", () => {
  it("accepts a plain function, an object with invoke, and a class instance", () => {
    class Fn {
      calls = 0;
      invoke() {
        this.calls++;
      }
    }
    const b = statefulFunctionsBuilder()
      .withSpec({ functionType: typeNameFrom("a/plain"), function: noop })
      .withSpec({ functionType: typeNameFrom("a/object"), function: { invoke: noop } })
      .withSpec({
        functionType: typeNameFrom("a/class"),
        states: [{ name: "seen", valueType: Int32Type }],
        function: new Fn(),
      });
    expect(typeof b.asHandler()).toBe("function");
    expect(typeof b.asHandler().invoke).toBe("function");
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
    const { toFunction } = await import("../test/wire.js");
    await expect(
      h.invoke(toFunction({ target: { namespace: "a", type: "late", id: "1" }, invocations: [] })),
    ).rejects.toThrow(/unknown function type a\/late/);
  });
});
