// A function that throws: the send rejects naming the function type and id, nothing of the
// batch is applied, and the batch is retried after the backoff, as on the local runtime.
import {
  type Context,
  Int32Type,
  type Message,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEnvironment, FunctionFailedError, type TestEnvironment } from "./index.js";

const FRAGILE = typeNameFrom("com.example.fns/fragile");
const seen: ValueSpec<number> = { name: "seen", valueType: Int32Type };

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Counts messages, but throws while `failing` is set. */
function fragile(control: { failing: boolean }) {
  return {
    functionType: FRAGILE,
    states: [seen],
    function: (ctx: Context, message: Message) => {
      ctx.storage.set(seen, (ctx.storage.get(seen) ?? 0) + 1);
      if (control.failing) throw new Error(`cannot handle ${message.asString()}`);
    },
  };
}

describe("a function that throws", () => {
  it("rejects the send with a FunctionFailedError naming the function type and id", async () => {
    env = await createTestEnvironment({ functions: [fragile({ failing: true })] });
    const error = await env
      .send({ target: { functionType: FRAGILE, id: "f1" }, value: "boom" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(FunctionFailedError);
    const failed = error as FunctionFailedError;
    expect(failed.message).toContain("com.example.fns/fragile:f1");
    expect(failed.message).toContain("cannot handle boom");
    expect(failed.address.functionType.toString()).toBe("com.example.fns/fragile");
    expect(failed.address.id).toBe("f1");
    expect((failed.cause as Error).name).toBe("FunctionInvocationError");
    // Nothing of the failed batch was applied.
    expect(env.state({ functionType: FRAGILE, id: "f1" }, seen)).toBeUndefined();
  });

  it("reports every address that failed in one run", async () => {
    env = await createTestEnvironment({ functions: [fragile({ failing: true })] });
    const sends = ["a", "b", "c"].map((id) =>
      env?.send({ target: { functionType: FRAGILE, id }, value: id }),
    );
    const results = await Promise.allSettled(sends);
    const messages = results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"));
    // All three run before the first send settles; that one reports all of them.
    const reported = messages.filter((m) => m.includes("more failure"));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain("and 2 more failure(s), of com.example.fns/fragile:");
    for (const id of ["a", "b", "c"])
      expect(reported[0]).toContain(`com.example.fns/fragile:${id}`);
  });

  it("retries the kept batch once virtual time passes the backoff", async () => {
    const control = { failing: true };
    env = await createTestEnvironment({
      functions: [fragile(control)],
      retry: { initialMs: 1_000 },
    });
    const at = { functionType: FRAGILE, id: "f2" };
    await expect(env.send({ target: at, value: "first" })).rejects.toThrow(FunctionFailedError);
    await expect(env.advance(1_000)).rejects.toThrow(/cannot handle first/);

    control.failing = false;
    await env.advance(1_999);
    expect(env.state(at, seen)).toBeUndefined();
    await env.advance(1);
    expect(env.state(at, seen)).toBe(1);
  });
});
