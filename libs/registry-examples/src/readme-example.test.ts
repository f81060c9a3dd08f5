import { RegistryValidationError } from "@statefun-ts/registry";
import { FunctionInvocationError, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { fromFunctionCodec, toFunctionCodec } from "@statefun-ts/sdk/wire";
import { describe, expect, it } from "vitest";
import { GREET_REQUEST_TYPENAME, GreetRequestType, type User, UserType } from "./index.js";

// The README's example, run through the SDK's byte-level handler.
function greeter() {
  const seen = { name: "seen", valueType: UserType };
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("com.example.fns/greeter"),
      states: [seen],
      function: (ctx, message) => {
        const request = message.as(GreetRequestType);
        const user: User = ctx.storage.get(seen) ?? { name: request.name, favoriteColor: "" };
        ctx.storage.set(seen, user);
      },
    })
    .asHandler();
}

function request(argument: Uint8Array): Uint8Array {
  return toFunctionCodec.encode({
    invocation: {
      target: { namespace: "com.example.fns", type: "greeter", id: "bob" },
      state: [{ stateName: "seen" }],
      invocations: [
        { argument: { typename: GREET_REQUEST_TYPENAME, hasValue: true, value: argument } },
      ],
    },
  });
}

describe("registry types in a stateful function", () => {
  it("decodes the message and stores the state as schema-valid JSON", async () => {
    const reply = fromFunctionCodec.decode(
      await greeter().invoke(request(GreetRequestType.serialize({ name: "Bob" }))),
    );
    const mutation = reply.invocationResult?.stateMutations?.[0];
    expect(mutation?.stateName).toBe("seen");
    expect(mutation?.stateValue?.typename).toBe("com.example/User");
    expect(UserType.deserialize(mutation!.stateValue!.value!)).toEqual({
      name: "Bob",
      favoriteColor: "",
    });
  });

  it("fails the batch with the validation error when the message breaks its schema", async () => {
    const error = await greeter()
      .invoke(request(new TextEncoder().encode('{"name":""}')))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(RegistryValidationError);
    expect((cause as RegistryValidationError).violations).toEqual([
      { pointer: "/name", message: "must NOT have fewer than 1 characters" },
    ]);
  });
});
