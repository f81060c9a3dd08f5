// State TTL on the virtual clock: expireAfterWrite counts from the last write, expireAfterCall
// from the last invocation; an expired value is gone for the function and for env.state.
import {
  type Context,
  expireAfterCall,
  expireAfterWrite,
  Int32Type,
  type StatefulFunctionSpec,
  typeNameFrom,
  type ValueSpec,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { createTestEnvironment, type TestEnvironment } from "./index.js";

const COUNTER = typeNameFrom("com.example.fns/counter");
const TTL_MS = 60_000;

let env: TestEnvironment | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Counts "inc" messages; any other message only touches the function (a call, no write). */
function counter(count: ValueSpec<number>): StatefulFunctionSpec {
  return {
    functionType: COUNTER,
    states: [count],
    function: (ctx: Context, message) => {
      if (message.asString() === "inc") ctx.storage.set(count, (ctx.storage.get(count) ?? 0) + 1);
    },
  };
}

const at = { functionType: COUNTER, id: "c1" };
const inc = { target: at, value: "inc" };
const touch = { target: at, value: "touch" };

describe("state expiration on the virtual clock", () => {
  it("expires a value a TTL after its last write", async () => {
    const count: ValueSpec<number> = {
      name: "count",
      valueType: Int32Type,
      expiration: expireAfterWrite(TTL_MS),
    };
    env = await createTestEnvironment({ functions: [counter(count)] });
    await env.send(inc);
    await env.advance(TTL_MS / 2);
    await env.send(inc);
    // a call without a write, a quarter TTL after the last write, does not extend the TTL
    await env.advance(TTL_MS / 4);
    await env.send(touch);
    expect(env.state(at, count)).toBe(2);

    // due one TTL after the last write (the touch was a quarter TTL later)
    await env.advance((3 * TTL_MS) / 4 - 1);
    expect(env.state(at, count)).toBe(2);
    await env.advance(1);
    expect(env.state(at, count)).toBeUndefined();

    // The function sees it gone too: counting starts over.
    await env.send(inc);
    expect(env.state(at, count)).toBe(1);
  });

  it("keeps a value alive while the function is called within its TTL", async () => {
    const count: ValueSpec<number> = {
      name: "count",
      valueType: Int32Type,
      expiration: expireAfterCall(TTL_MS),
    };
    env = await createTestEnvironment({ functions: [counter(count)] });
    await env.send(inc);
    for (let i = 0; i < 5; i++) {
      await env.advance(TTL_MS - 1);
      await env.send(touch);
    }
    expect(env.state(at, count)).toBe(1);

    await env.advance(TTL_MS);
    expect(env.state(at, count)).toBeUndefined();
  });

  it("never expires a value without expiration", async () => {
    const count: ValueSpec<number> = { name: "count", valueType: Int32Type };
    env = await createTestEnvironment({ functions: [counter(count)] });
    await env.send(inc);
    await env.advance(365 * 24 * 3_600_000);
    expect(env.state(at, count)).toBe(1);
  });
});
