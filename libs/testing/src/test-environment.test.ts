// Misuse of the environment gets a clear TestEnvironmentError.
import { Int32Type, StringType, typeNameFrom } from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { createTestEnvironment, TestEnvironmentError } from "./index.js";

const ECHO = typeNameFrom("com.example.fns/echo");
const echo = { functionType: ECHO, function: () => {} };

describe("createTestEnvironment", () => {
  it("rejects functions it cannot serve", async () => {
    await expect(createTestEnvironment({ functions: [] })).rejects.toThrow(
      /list of function specs is empty/,
    );
    await expect(
      createTestEnvironment({
        functions: { handler: { invoke: async (b) => b }, functionTypes: ["no-slash"] },
      }),
    ).rejects.toThrow(/"no-slash" is not a function type/);
    await expect(
      createTestEnvironment({ functions: [echo], retry: { initialMs: 0 } }),
    ).rejects.toThrow(/retry.initialMs is 0; it must be at least 1 ms/);
  });

  it("starts at the given virtual time and only moves when told", async () => {
    const env = await createTestEnvironment({ functions: [echo], startTime: 1_000 });
    expect(env.now).toBe(1_000);
    await env.send({ target: { functionType: ECHO, id: "a" }, value: "x" });
    expect(env.now).toBe(1_000);
    await env.advance(250);
    expect(env.now).toBe(1_250);
    await env.close();
  });

  it("says why a message or a time step is refused", async () => {
    const env = await createTestEnvironment({ functions: [echo] });
    const target = { functionType: ECHO, id: "a" };
    await expect(
      env.send({ target, value: 42 } as unknown as { target: typeof target; value: string }),
    ).rejects.toThrow(/cannot deduce the type of the number 42; set valueType/);
    await expect(env.send({ target, value: 42, valueType: Int32Type })).resolves.toBeUndefined();
    await expect(env.advance(-1)).rejects.toThrow(/advance\(-1\)/);
    await expect(
      env.send({ target: { functionType: "com.example.fns/echo", id: "a" } as never, value: "x" }),
    ).rejects.toThrow(TestEnvironmentError);
    await env.close();
    expect(() => env.state(target, { name: "s", valueType: StringType })).toThrow(
      /the test environment is closed/,
    );
  });
});
