// The Hono example answers like the node:http one: 200 with the greeter's reply, and the same
// status rules (405, 415, gzip).
import { gzipSync } from "node:zlib";
import { Int32Type, StringType } from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { intValue, invocationResult, stringValue, toFunction } from "../test/wire.js";
import { app } from "./serve-hono.js";

const request = (states: Record<string, ReturnType<typeof intValue> | null>) =>
  toFunction({
    target: { namespace: "com.example.fns", type: "greeter", id: "Bob" },
    states,
    invocations: [{ argument: stringValue("Bob") }],
  });

const post = (body: Uint8Array, headers: Record<string, string> = {}) =>
  app.fetch(
    new Request("http://localhost/statefun", {
      method: "POST",
      body: body as unknown as ArrayBuffer,
      headers: { "Content-Type": "application/octet-stream", ...headers },
    }),
  );

describe("serving through Hono with asFetchHandler", () => {
  it("greets, with the state, like the node:http handler", async () => {
    const res = await post(request({ seen_count: intValue(41) }));
    expect(res.status).toBe(200);
    const result = invocationResult(new Uint8Array(await res.arrayBuffer()));
    expect(Int32Type.deserialize(result.stateMutations[0]!.stateValue!.value!)).toBe(42);
    expect(StringType.deserialize(result.outgoingMessages[0]!.argument!.value!)).toBe(
      "Hello Bob for the 42th time!",
    );
  });

  it("accepts a gzip body and refuses another content type", async () => {
    const zipped = await post(gzipSync(request({ seen_count: intValue(1) })), {
      "Content-Encoding": "gzip",
    });
    expect(zipped.status).toBe(200);
    const wrongType = await post(request({ seen_count: null }), { "Content-Type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const get = await app.fetch(new Request("http://localhost/statefun"));
    expect(get.status).toBe(404); // Hono only routes POST here
  });
});
